import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startDashboard, type Dashboard } from '../src/startDashboard';
import { grokkingRecords, line, rec, tmpDir, writeRun } from './runFixtures';

/** A page folder of its own: these tests are about the server, not the bundled page (the CLI's browser test covers that). */
function pageDir(): string {
  const d = tmpDir();
  fs.writeFileSync(path.join(d, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(d, 'app.js'), '');
  fs.writeFileSync(path.join(d, 'style.css'), '');
  return d;
}

/** A raw request: the path is sent exactly as given (fetch would normalise `..` away). */
function raw(
  d: Dashboard,
  method: string,
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: d.port, method, path: p, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
const getJson = async <T>(d: Dashboard, p: string): Promise<T> => {
  const r = await raw(d, 'GET', p);
  if (r.status !== 200) throw new Error(`${p}: ${r.status} ${r.body}`);
  return JSON.parse(r.body) as T;
};

/** Collects server-sent `update` events. */
function listen(d: Dashboard): {
  events: { list: boolean; runs: { id: string; steps: number[] }[] }[];
  close: () => void;
  until: (pred: () => boolean, ms: number) => Promise<void>;
} {
  const events: { list: boolean; runs: { id: string; steps: number[] }[] }[] = [];
  let buf = '';
  const req = http.get({ host: '127.0.0.1', port: d.port, path: '/api/events' }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: update') && data) events.push(JSON.parse(data.slice(6)));
      }
    });
  });
  req.on('error', () => undefined);
  const until = async (pred: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`not within ${ms} ms; events so far: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { events, close: () => req.destroy(), until };
}

interface Row {
  id: string;
  path: string;
  status: string;
  condition: string;
  step: number | null;
  tMem: number | null;
  tGrok: number | null;
  lastH: number | null;
  problems: string[];
}

describe('startDashboard', () => {
  let root: string;
  let d: Dashboard;
  const live = new Set<string>();
  beforeAll(async () => {
    root = tmpDir();
    writeRun(path.join(root, 'study', 'seed-0'), grokkingRecords(), { status: 'completed', seed: 0 });
    writeRun(path.join(root, 'study', 'seed-1'), grokkingRecords(), {
      status: 'stopped',
      seed: 1,
      condition: 'entropy-floor',
    });
    writeRun(path.join(root, 'study', 'failed'), grokkingRecords(3), { status: 'failed', seed: 2 });
    writeRun(path.join(root, 'study', 'killed'), grokkingRecords(4), { seed: 3 });
    live.add(writeRun(path.join(root, 'study', 'live'), grokkingRecords(5), { seed: 4 }));
    d = await startDashboard({
      dirs: [root],
      port: 0,
      pollMs: 50,
      rescanMs: 100,
      pageDir: pageDir(),
      isLive: (dir) => live.has(dir),
      warn: () => undefined,
    });
  });
  afterAll(() => d.close());

  it('binds 127.0.0.1 unless told otherwise', () => {
    expect(d.host).toBe('127.0.0.1');
    expect(d.url).toBe(`http://127.0.0.1:${d.port}/`);
  });

  it('lists every run with its status, condition, step, t_mem, t_grok and last H̃', async () => {
    const { runs } = await getJson<{ runs: Row[] }>(d, '/api/runs');
    const by = Object.fromEntries(runs.map((r) => [r.path, r]));
    expect(Object.keys(by).sort()).toEqual([
      'study/failed',
      'study/killed',
      'study/live',
      'study/seed-0',
      'study/seed-1',
    ]);
    expect(by['study/seed-0']!.status).toBe('completed');
    expect(by['study/seed-1']!.status).toBe('stopped');
    expect(by['study/failed']!.status).toBe('failed');
    expect(by['study/killed']!.status).toBe('interrupted'); // no summary, nobody holds its lock
    expect(by['study/live']!.status).toBe('running');
    expect(by['study/seed-1']!.condition).toBe('entropy-floor');
    // grokkingRecords: train accuracy 1 from step 200, test accuracy 0.97 from 1000; 16 records every 100.
    expect(by['study/seed-0']).toMatchObject({ step: 1500, tMem: 200, tGrok: 1000, lastH: 0.5 });
    expect(by['study/live']).toMatchObject({ step: 400, tMem: 200, tGrok: null });
  });

  it('gives a run its events, H̃* from the finished runs of its study, and the live forecast', async () => {
    const id = encodeURIComponent('0/study/live');
    const det = await getJson<{
      tCross: number | null;
      threshold: number;
      law: { fit: { C1: number; gamma: number; C2: number } | null; threshold: number | null };
      forecast: { step: number; predicted: number | null } | null;
      specs: { run: { layer: unknown[] } };
    }>(d, `/api/run?id=${id}`);
    // Finished runs (seed-0, seed-1) both reach H̃ = 0.5 after t_mem: the per-run minimum before t_grok (step 1000)
    // is H̃(1000) = 0.9 − 0.4·1000/1200, so H̃* is that.
    expect(det.threshold).toBeCloseTo(0.9 - (0.4 * 1000) / 1200, 10);
    expect(det.law.threshold).toBeCloseTo(det.threshold, 10);
    expect(det.specs.run.layer.length).toBeGreaterThan(3);
    expect(det.tCross).toBeNull(); // H̃(400) is still above H̃*
    // The latest forecast, worked by hand from the law: t + C1·(H̃(t) − H̃*)^γ + C2 at t = 400.
    const law = det.law.fit!;
    expect(law).not.toBeNull();
    const h400 = 0.9 - (0.4 * 400) / 1200;
    expect(det.forecast!.step).toBe(400);
    expect(det.forecast!.predicted).toBeCloseTo(400 + law.C1 * Math.pow(h400 - det.threshold, law.gamma) + law.C2, 6);
    const missing = await raw(d, 'GET', '/api/run?id=0/nope');
    expect(missing.status).toBe(404);
    expect((JSON.parse(missing.body) as { error: string }).error).toMatch(/no run with id "0\/nope"/);
  });

  it('compares runs aligned at t_grok: x is step − t_grok, runs without t_grok left out', async () => {
    const q = ['0/study/seed-0', '0/study/live'].map((i) => `id=${encodeURIComponent(i)}`).join('&');
    const { spec } = await getJson<{
      spec: { data: { values: { run: string; x: number; series: string }[] }; title: { subtitle: string[] } };
    }>(d, `/api/compare?${q}&align=t_grok`);
    const xs = spec.data.values.filter((v) => v.series === 'H̃').map((v) => v.x);
    expect(xs).toEqual(grokkingRecords().map((r) => r.step - 1000));
    expect(spec.title.subtitle.join(' ')).toMatch(/1 run without t_grok not shown/);
    expect((await raw(d, 'GET', `/api/compare?${q}&align=middle`)).status).toBe(400);
  });

  it('pushes a new record to connected clients, and skips a half-written last line until it is complete', async () => {
    const sse = listen(d);
    try {
      const file = path.join(root, 'study', 'live', 'metrics.jsonl');
      const next = line(rec(500, 0.7, 1, 0.3));
      fs.appendFileSync(file, next.slice(0, 30));
      await new Promise((r) => setTimeout(r, 300)); // several polls
      expect(sse.events.flatMap((e) => e.runs.flatMap((r) => r.steps))).not.toContain(500);
      const t0 = Date.now();
      fs.appendFileSync(file, next.slice(30));
      await sse.until(
        () => sse.events.some((e) => e.runs.some((r) => r.id === '0/study/live' && r.steps.includes(500))),
        2000,
      );
      expect(Date.now() - t0).toBeLessThan(2000);
      const { runs } = await getJson<{ runs: Row[] }>(d, '/api/runs');
      expect(runs.find((r) => r.path === 'study/live')!.step).toBe(500);
    } finally {
      sse.close();
    }
  });

  it('survives a malformed record mid-run: the line is reported and later records still arrive', async () => {
    const file = path.join(root, 'study', 'live', 'metrics.jsonl');
    fs.appendFileSync(file, '{"step": "six hundred"}\n' + line(rec(700, 0.65, 1, 0.4)));
    const sse = listen(d);
    try {
      await sse.until(() => true, 10);
      const end = Date.now() + 2000;
      let row: Row | undefined;
      while (Date.now() < end) {
        row = (await getJson<{ runs: Row[] }>(d, '/api/runs')).runs.find((r) => r.path === 'study/live');
        if (row?.step === 700) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(row!.step).toBe(700);
      expect(row!.problems.join('\n')).toMatch(/metrics\.jsonl: line 7 is not a metrics record/);
    } finally {
      sse.close();
    }
  });

  it('a run that ends shows its summary status; a run folder that disappears drops out and the server keeps serving', async () => {
    const dir = path.join(root, 'study', 'live');
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ status: 'completed', steps: 700 }));
    live.delete(dir);
    const gone = writeRun(path.join(root, 'study', 'gone'), grokkingRecords(3), { seed: 9 });
    const waitFor = async (pred: (rows: Row[]) => boolean) => {
      const end = Date.now() + 3000;
      for (;;) {
        const rows = (await getJson<{ runs: Row[] }>(d, '/api/runs')).runs;
        if (pred(rows)) return rows;
        if (Date.now() > end) throw new Error(`not within 3 s: ${JSON.stringify(rows.map((r) => [r.path, r.status]))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(
      (rows) =>
        rows.some((r) => r.path === 'study/gone') && rows.find((r) => r.path === 'study/live')?.status === 'completed',
    );
    fs.rmSync(gone, { recursive: true });
    await waitFor((rows) => !rows.some((r) => r.path === 'study/gone'));
    expect((await raw(d, 'GET', `/api/run?id=${encodeURIComponent('0/study/gone')}`)).status).toBe(404);
  });

  it('is read-only: every method but GET and HEAD is refused', async () => {
    for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await raw(d, m, '/api/runs');
      expect(r.status).toBe(405);
      expect(r.headers['allow']).toBe('GET, HEAD');
    }
    expect(fs.existsSync(path.join(root, 'study', 'seed-0', 'metrics.jsonl'))).toBe(true);
  });

  it('serves files under its folder, sandboxed; traversal, encoded .. and links out get 404', async () => {
    fs.writeFileSync(path.join(root, 'study', 'seed-0', 'run.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.symlinkSync('/etc/hostname', path.join(root, 'study', 'seed-0', 'leak.txt'));
    const ok = await raw(d, 'GET', '/files/0/study/seed-0/run.svg');
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/svg+xml');
    expect(ok.headers['content-security-policy']).toBe('sandbox');
    for (const p of [
      '/files/0/../../../../etc/passwd',
      '/files/0/study/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/files/0/..%2F..%2F..%2Fetc%2Fpasswd',
      '/files/0/study/seed-0/leak.txt',
      '/files/1/etc/passwd',
      '/../../etc/passwd',
      '/assets/../../package.json',
    ]) {
      const r = await raw(d, 'GET', p);
      expect([p, r.status]).toEqual([p, 404]);
      expect(r.body).not.toMatch(/root:/);
    }
  });

  it('answers only to a loopback Host name (no DNS rebinding)', async () => {
    expect((await raw(d, 'GET', '/api/runs', { Host: 'evil.example:80' })).status).toBe(403);
    expect((await raw(d, 'GET', '/api/runs', { Host: `localhost:${d.port}` })).status).toBe(200);
  });
});

describe('startDashboard refuses bad input with the fix', () => {
  it('names a missing folder', async () => {
    await expect(startDashboard({ dirs: ['/no/such/folder'], port: 0 })).rejects.toThrow(
      /folder \/no\/such\/folder does not exist; give a folder holding runs/,
    );
  });
  it('says how to build a missing page', async () => {
    await expect(startDashboard({ dirs: [tmpDir()], port: 0, pageDir: tmpDir() })).rejects.toThrow(
      /the page is not built .*run `npm run build`/,
    );
  });
  it('names a port in use and how to pick another', async () => {
    const a = await startDashboard({ dirs: [tmpDir()], port: 0, pageDir: pageDir() });
    try {
      await expect(startDashboard({ dirs: [tmpDir()], port: a.port, pageDir: pageDir() })).rejects.toThrow(
        new RegExp(`port ${a.port} on 127.0.0.1 is in use .*--port`),
      );
    } finally {
      await a.close();
    }
  });
});

describe('startDashboard reads run files only inside its folders', () => {
  it('manifest.json, metrics.jsonl, summary.json or report.json linking out: neither served nor quoted', async () => {
    const outside = tmpDir();
    const secretRun = writeRun(path.join(outside, 'secret-run'), grokkingRecords(), { status: 'completed', seed: 7 });
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOPSECRET, not JSON');
    fs.mkdirSync(path.join(outside, 'report'));
    const report = JSON.stringify({ claims: [{ id: 'C1', claim: 'TOPSECRET' }] });
    fs.writeFileSync(path.join(outside, 'report', 'report.json'), report);
    const root = tmpDir();
    // e: its summary.json links to a file outside (the "error quoting the file's first bytes").
    writeRun(path.join(root, 'e'), grokkingRecords(3), { seed: 1 });
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'e', 'summary.json'));
    // f: manifest.json and metrics.jsonl link to a run outside (the "serves all its records").
    fs.mkdirSync(path.join(root, 'f'));
    for (const name of ['manifest.json', 'metrics.jsonl']) {
      fs.symlinkSync(path.join(secretRun, name), path.join(root, 'f', name));
    }
    // g: a manifest outside, but its own log; the study's report.json links outside too.
    writeRun(path.join(root, 'study', 'g'), grokkingRecords(2), { seed: 2 });
    fs.rmSync(path.join(root, 'study', 'g', 'manifest.json'));
    fs.symlinkSync(path.join(secretRun, 'manifest.json'), path.join(root, 'study', 'g', 'manifest.json'));
    fs.mkdirSync(path.join(root, 'study', 'report'));
    fs.symlinkSync(path.join(outside, 'report', 'report.json'), path.join(root, 'study', 'report', 'report.json'));
    const d = await startDashboard({ dirs: [root], port: 0, pageDir: pageDir(), warn: () => undefined });
    try {
      const list = await raw(d, 'GET', '/api/runs');
      expect(list.body).not.toMatch(/TOPSECRET/);
      const body = JSON.parse(list.body) as { runs: Row[]; studies: unknown[] };
      const by = Object.fromEntries(body.runs.map((r) => [r.path, r]));
      const linksOut = (file: string) =>
        `${path.join(root, file)}: is a link out of the dashboard's folders; not read (it reads only under the folders it was given)`;
      expect(by['e']).toMatchObject({ status: 'unreadable', problems: [linksOut('e/summary.json')] });
      expect(by['f']).toMatchObject({ status: 'unreadable', records: 0, seed: null, step: null });
      expect(by['f']!.problems).toEqual([linksOut('f/manifest.json'), linksOut('f/metrics.jsonl')]);
      expect(by['study/g']).toMatchObject({ status: 'unreadable', seed: null, records: 2 });
      expect(body.studies).toEqual([]);
      const f = await raw(d, 'GET', `/api/run?id=${encodeURIComponent('0/f')}`);
      expect(f.status).toBe(200);
      expect((JSON.parse(f.body) as { row: Row }).row.step).toBeNull();
      expect(f.body).not.toMatch(/TOPSECRET/);
      // The same paths through /files/ were already refused: the two routes now agree.
      for (const p of ['e/summary.json', 'f/manifest.json', 'f/metrics.jsonl']) {
        expect((await raw(d, 'GET', `/files/0/${p}`)).status).toBe(404);
      }
    } finally {
      await d.close();
    }
  });
});

describe('startDashboard on other addresses and ports', () => {
  /** A request to `address` with the given Host header. */
  const get = (address: string, port: number, p: string, host: string, method = 'GET') =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ host: address, port, method, path: p, headers: { Host: host } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end();
    });

  it('--host 127.0.0.2 is loopback too: the Host-header check stays on', async () => {
    const d = await startDashboard({ dirs: [tmpDir()], host: '127.0.0.2', port: 0, pageDir: pageDir() });
    try {
      expect(await get('127.0.0.2', d.port, '/api/runs', 'evil.example')).toBe(403);
      expect(await get('127.0.0.2', d.port, '/api/runs', `127.0.0.2:${d.port}`)).toBe(200);
      expect(await get('127.0.0.2', d.port, '/api/runs', `localhost:${d.port}`)).toBe(200);
    } finally {
      await d.close();
    }
  });

  it('a HEAD request to /api/events is answered (headers, no stream)', async () => {
    const d = await startDashboard({ dirs: [tmpDir()], port: 0, pageDir: pageDir() });
    try {
      const timeout = new Promise<string>((r) => setTimeout(() => r('no answer within 3 s'), 3000).unref());
      expect(
        await Promise.race([get('127.0.0.1', d.port, '/api/events', `127.0.0.1:${d.port}`, 'HEAD'), timeout]),
      ).toBe(200);
    } finally {
      await d.close();
    }
  });

  it('--port 65536 is refused with the fix, and leaves no timer running (the process could not exit)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await expect(startDashboard({ dirs: [tmpDir()], port: 65536, pageDir: pageDir() })).rejects.toThrow(
      'dashboard: cannot listen on port 65536: a port is a whole number from 0 to 65535; check --port',
    );
    expect(timers()).toBe(before);
  });
});
