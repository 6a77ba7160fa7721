import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PORT, isLoopback, startDashboard } from '@grokscope/dashboard';
import { ConfigError } from '@grokscope/core';
import { lockHolder } from './runLock';
import { EXIT } from './trainCommand';

export interface DashboardCommandOptions {
  /** Folders holding runs (default `runs`). */
  readonly dirs: readonly string[];
  readonly port?: number;
  readonly host?: string;
  /** Open the page in the default browser. */
  readonly open?: boolean;
  /** Resolves when the dashboard should stop (default: Ctrl-C or SIGTERM). */
  readonly until?: Promise<unknown>;
}

/**
 * `grokscope dashboard [DIR...]`: serves the live, read-only dashboard over the run folders until
 * interrupted (docs/dashboard.md). A run shows as running while its lock is live (runLock.ts), the
 * same test `sweep` and `forecast --follow` use.
 */
export async function dashboardCommand(o: DashboardCommandOptions): Promise<number> {
  const dirs = o.dirs.length ? o.dirs : ['runs'];
  for (const d of dirs) {
    if (!fs.existsSync(d))
      throw new ConfigError(
        'DIR',
        `${path.resolve(d)} does not exist; name a folder holding runs (a run, a sweep's out folder or a reproduce study), e.g. \`grokscope dashboard runs\``,
      );
    if (!fs.statSync(d).isDirectory())
      throw new ConfigError('DIR', `${path.resolve(d)} is a file; name the folder holding the runs`);
  }
  const host = o.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    process.stderr.write(
      `warning: --host ${host} makes the dashboard reachable from other machines on that network; anyone who can reach it can read every run under ${dirs.map((d) => path.resolve(d)).join(', ')} (it has no login). Leave --host out to serve this machine only.\n`,
    );
  }
  let dashboard;
  try {
    dashboard = await startDashboard({
      dirs,
      host,
      port: o.port ?? DEFAULT_PORT,
      isLive: (dir) => lockHolder(dir) !== null,
    });
  } catch (err) {
    const message = (err as Error).message.replace(/^dashboard: /, '');
    throw new ConfigError(/port|listen/.test(message) ? '--port' : 'dashboard', message);
  }
  const n = dashboard.index.runs.length;
  process.stdout.write(
    `grokscope dashboard: ${dashboard.url}  (${n} run${n === 1 ? '' : 's'} under ${dirs.join(', ')}; read-only; Ctrl-C to stop)\n`,
  );
  if (o.open) openBrowser(dashboard.url);
  await (o.until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  await dashboard.close();
  return EXIT.ok;
}

/** The platform's "open this URL" command; on failure, says so and goes on serving. */
export function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', (err) =>
    process.stderr.write(`could not open a browser (${cmd as string}: ${err.message}); open ${url} yourself\n`),
  );
  child.unref();
}
