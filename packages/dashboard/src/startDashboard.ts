import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { compareSpec } from '@grokscope/analysis';
import { runDetail, thin, MAX_CHART_POINTS } from './runDetail';
import { hostHeaderName, isLoopback } from './loopback';
import { RunIndex } from './runIndex';
import type { LiveCheck } from './runWatch';
import { servedFile } from './servedFile';
import { StudyLaws } from './studyLaw';

export interface DashboardOptions {
  /** Folders holding runs, sweeps or reproduce studies (each searched 4 levels deep). */
  readonly dirs: readonly string[];
  /** Default 127.0.0.1: only this machine can connect (docs/dashboard.md § Security). */
  readonly host?: string;
  /** Default 4177; 0 picks a free port. */
  readonly port?: number;
  /** Whether a process trains the run in a folder now; the CLI passes its run-lock check. Default: never (no run shows as running). */
  readonly isLive?: LiveCheck;
  /** How often run folders are checked for new records (default 500 ms). */
  readonly pollMs?: number;
  /** How often the folders are searched for new runs (default 2000 ms). */
  readonly rescanMs?: number;
  /** The bundled page (default: this package's dist/page, made by `npm run build`). */
  readonly pageDir?: string;
  /** Told about problems the dashboard survives (an update that failed). Default: stderr. */
  readonly warn?: (message: string) => void;
}

export interface Dashboard {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly index: RunIndex;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4177;
const ASSETS: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};
const FILE_TYPES: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
};
// vega runs its expressions through vega-interpreter (no eval), so the page needs no 'unsafe-eval'.
const PAGE_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Starts the dashboard: a read-only HTTP server (node:http) over the run folders, with a page
 * (bundled at build time, served from this machine: no CDN) that lists runs, draws a run's curves
 * and live forecast, and overlays runs; new records reach open pages through server-sent events.
 * Every number comes from @grokscope/analysis; every chart is one of its Vega-Lite specs.
 */
export async function startDashboard(o: DashboardOptions): Promise<Dashboard> {
  if (!o.dirs.length)
    throw new Error('dashboard: no folder given; name the folders holding your runs (e.g. `grokscope dashboard runs`)');
  for (const d of o.dirs) {
    if (!fs.existsSync(d))
      throw new Error(
        `dashboard: folder ${path.resolve(d)} does not exist; give a folder holding runs (a run, a sweep's out folder or a reproduce study)`,
      );
    if (!fs.statSync(d).isDirectory())
      throw new Error(`dashboard: ${path.resolve(d)} is a file, not a folder; give the folder holding the runs`);
  }
  const pageDir = o.pageDir ?? path.resolve(__dirname, '..', 'dist', 'page');
  if (!fs.existsSync(path.join(pageDir, 'app.js'))) {
    throw new Error(
      `dashboard: the page is not built (${path.join(pageDir, 'app.js')} is missing); run \`npm run build\` at the repository root (or \`npm run bundle -w @grokscope/dashboard\`)`,
    );
  }
  const warn = o.warn ?? ((m: string) => process.stderr.write(`dashboard: ${m}\n`));
  const host = o.host ?? '127.0.0.1';
  const index = new RunIndex(o.dirs, o.isLive ?? (() => false), o.rescanMs ?? 2000);
  index.refresh();
  const laws = new StudyLaws();
  const clients = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      warn(`request ${req.url ?? ''} failed: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent)
        json(res, 500, { error: `the dashboard could not answer ${req.url ?? ''}: ${(err as Error).message}` });
      else res.end();
    }
  });

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return json(res, 405, { error: `${req.method} is not allowed: the dashboard is read-only (GET and HEAD only)` });
    }
    // A page on another site cannot reach a loopback dashboard through DNS rebinding: its Host header names that site.
    if (isLoopback(host) && !isLoopback(hostHeaderName(req.headers.host ?? '')))
      return json(res, 403, {
        error: `Host "${req.headers.host ?? ''}" refused: this dashboard answers to loopback names only (localhost, 127.x.x.x, [::1])`,
      });
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const raw = (req.url ?? '/').split('?')[0]!;
    if (raw === '/' || raw === '/index.html') return page(res, 'index.html', 'text/html; charset=utf-8');
    const asset = /^\/assets\/([a-z.]+)$/.exec(raw);
    if (asset && ASSETS[asset[1]!]) return page(res, asset[1]!, ASSETS[asset[1]!]!);
    if (raw === '/api/runs')
      return json(res, 200, { roots: index.roots, runs: index.runs.map((w) => w.row()), studies: index.studies() });
    if (raw === '/api/run') {
      const w = index.get(url.searchParams.get('id') ?? '');
      if (!w)
        return json(res, 404, {
          error: `no run with id "${url.searchParams.get('id') ?? ''}"; ids come from /api/runs (the run may have been removed)`,
        });
      return json(res, 200, runDetail(w, laws.lawFor(w, index.runs)));
    }
    if (raw === '/api/compare') return compare(url, res);
    if (raw === '/api/events') return events(req, res);
    if (raw.startsWith('/files/')) {
      const [rootIndex = '', ...segments] = raw.slice('/files/'.length).split('/');
      const file = servedFile(index.roots, rootIndex, segments);
      if (file === null) return json(res, 404, { error: 'not found' });
      res.writeHead(200, {
        'Content-Type': FILE_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        // A run's report.html is shown, but never runs script in the dashboard's origin.
        'Content-Security-Policy': 'sandbox',
      });
      if (req.method === 'HEAD') return void res.end();
      fs.createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
      return;
    }
    json(res, 404, { error: 'not found' });
  }

  function page(res: http.ServerResponse, name: string, type: string): void {
    res.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': PAGE_CSP });
    res.end(fs.readFileSync(path.join(pageDir, name)));
  }

  function compare(url: URL, res: http.ServerResponse): void {
    const ids = url.searchParams.getAll('id').filter((s) => s !== '');
    const align = url.searchParams.get('align') ?? 'start';
    if (align !== 'start' && align !== 't_grok')
      return json(res, 400, { error: `align "${align}" is not one of start, t_grok` });
    const missing = ids.filter((id) => !index.get(id));
    if (!ids.length || missing.length)
      return json(res, 404, {
        error: ids.length
          ? `no run with id ${missing.map((m) => `"${m}"`).join(', ')}`
          : 'no run chosen: pass id=ID once per run (ids from /api/runs)',
      });
    const ws = ids.map((id) => index.get(id)!);
    const labels = ws.map((w) => w.row().path);
    const spec = compareSpec(
      ws.map((w, i) => ({
        name: labels[i]!,
        records: thin(w.records, MAX_CHART_POINTS, [w.events.tGrok]),
        tGrok: w.events.tGrok,
      })),
      { align },
    );
    json(res, 200, { spec, runs: ws.map((w) => w.row()) });
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse): void {
    // HEAD gets the stream's headers and an end: it has no body to wait for.
    if (req.method === 'HEAD')
      return void res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' }).end();
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
  }

  const tick = () => {
    let change;
    try {
      change = index.refresh();
    } catch (err) {
      // A folder vanishing mid-read, a permission change: say so and keep serving the others.
      warn(`could not update the runs: ${(err as Error).message}`);
      return;
    }
    if (!change.listChanged && !change.runs.length) return;
    const data = JSON.stringify({
      list: change.listChanged,
      runs: change.runs.map((r) => ({ id: r.id, steps: r.added.slice(-20).map((a) => a.step), added: r.added.length })),
    });
    for (const c of clients) c.write(`event: update\ndata: ${data}\n\n`);
  };
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `dashboard: port ${o.port ?? DEFAULT_PORT} on ${host} is in use (another dashboard?); pick another with --port N, or --port 0 for any free one`,
            )
          : err.code === 'ERR_SOCKET_BAD_PORT'
            ? new Error(
                `dashboard: cannot listen on port ${String(o.port)}: a port is a whole number from 0 to 65535; check --port`,
              )
            : new Error(
                `dashboard: cannot listen on ${host}:${o.port ?? DEFAULT_PORT} (${err.code ?? err.message}); check --host and --port`,
              ),
      );
    server.once('error', fail);
    try {
      server.listen(o.port ?? DEFAULT_PORT, host, () => resolve());
    } catch (err) {
      fail(err as NodeJS.ErrnoException); // a port out of range throws here, not through 'error'
    }
  });
  // Started only once listening: a failed listen must leave nothing running, or the process never exits.
  const timer = setInterval(tick, o.pollMs ?? 500);
  // Proxies and browsers drop an idle event stream: a comment line keeps it open.
  const keepAlive = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, 15_000);
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    host,
    index,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        clearInterval(keepAlive);
        for (const c of clients) c.end();
        clients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
