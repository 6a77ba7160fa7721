import { DEFAULT_LAB_PORT, startLab } from '@grokscope/lab';
import { ConfigError } from '@grokscope/core';
import { openBrowser } from './dashboardCommand';
import { EXIT } from './trainCommand';

export interface LabCommandOptions {
  readonly port?: number;
  /** Open the page in the default browser. */
  readonly open?: boolean;
  /** Resolves when the server should stop (default: Ctrl-C or SIGTERM). */
  readonly until?: Promise<unknown>;
}

/**
 * `grokscope lab`: serves the browser lab's static folder on 127.0.0.1 until interrupted
 * (docs/lab.md). Training happens in the page; this process only hands out files.
 */
export async function labCommand(o: LabCommandOptions): Promise<number> {
  let lab;
  try {
    lab = await startLab({ port: o.port ?? DEFAULT_LAB_PORT });
  } catch (err) {
    const message = (err as Error).message.replace(/^lab: /, '');
    throw new ConfigError(/port|listen/.test(message) ? '--port' : 'lab', message);
  }
  process.stdout.write(`grokscope lab: ${lab.url}  (this machine only; training runs in the page; Ctrl-C to stop)\n`);
  if (o.open) openBrowser(lab.url);
  await (o.until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  await lab.close();
  return EXIT.ok;
}
