import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { hostHeaderName, isLoopback } from '@grokscope/dashboard';

/** The lab's static folder, as `npm run build` writes it (scripts/buildSite.js). */
export const LAB_SITE_DIR = path.resolve(__dirname, '..', 'dist', 'site');
/** The port `grokscope lab` serves on when none is given (the dashboard's plus one). */
export const DEFAULT_LAB_PORT = 4178;
/** The address it binds: this machine only. */
const HOST = '127.0.0.1';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface LabServerOptions {
  /** Default 4178; 0 picks a free port. */
  readonly port?: number;
  /** The folder to serve (default: this package's dist/site). */
  readonly siteDir?: string;
}

export interface LabServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the lab's static folder on 127.0.0.1 only: GET and HEAD of the files in it, nothing
 * else. The page needs no server code (any static host serves the same folder); this is the
 * local way to open it, with the dashboard's loopback rules (a Host header that is not a loopback
 * name is refused, which stops DNS rebinding).
 */
export async function startLab(o: LabServerOptions = {}): Promise<LabServer> {
  const siteDir = path.resolve(o.siteDir ?? LAB_SITE_DIR);
  if (!fs.existsSync(path.join(siteDir, 'index.html')))
    throw new Error(
      `lab: the page is not built (${path.join(siteDir, 'index.html')} is missing); ` +
        'run `npm run build` at the repository root',
    );
  const files = new Map<string, string>();
  for (const f of listFiles(siteDir)) files.set('/' + path.relative(siteDir, f).split(path.sep).join('/'), f);
  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('the lab serves static files: GET and HEAD only\n');
    }
    if (!isLoopback(hostHeaderName(req.headers.host ?? ''))) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('this lab answers to loopback names only (localhost, 127.x.x.x, [::1])\n');
    }
    let wanted = (req.url ?? '/').split('?')[0]!;
    if (wanted === '/') wanted = '/index.html';
    // Only the files the build wrote: no path from the request ever reaches the file system.
    const file = files.get(wanted);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('not found\n');
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${HOST}:${o.port ?? DEFAULT_LAB_PORT}`;
      reject(new Error(`lab: cannot listen on ${where} (${err.code ?? err.message}); choose another --port`));
    });
    server.listen(o.port ?? DEFAULT_LAB_PORT, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listFiles(p);
    return e.isFile() ? [p] : [];
  });
}
