// Does a configuration show the paper's phenomenon? (docs/science.md § The laptop configuration)
// For baseline runs: plateau then jump (the plateau criterion), H̃ at t_mem against the
// configuration's own H̃* (max over runs of the lowest H̃ between t_mem and t_grok), the fall
// from t_mem to t_grok, and where t_cross(H̃*) lies in the plateau. For entropy-floor runs given
// with --floor: whether the measured H̃ stayed above the baseline's H̃* until t_grok or the cap.
// For norm-matched runs given with --matched: how closely ‖θ‖ followed its reference run.
//   node bench/phenomenon.js <baseline run dir>... [--floor <run dir>...] [--matched <run dir>...]
// e.g. node bench/phenomenon.js runs/fidelity/*condition=baseline --floor runs/fidelity/*condition=entropy-floor
const path = require('node:path');
const a = require('../packages/analysis/dist');

// The figures the laptop configuration must reach (docs/science.md § The laptop configuration).
const GOALS = { aboveThreshold: 0.12, fall: 0.15, share: 0.8 };
/** "≥ 4 of 5": the goals ask for 4 runs in 5, so n runs need ⌈0.8·n⌉. */
const goal = (n) => `goal ≥ ${Math.ceil(GOALS.share * n)} of ${n}`;
const HN = a.METRIC_TAGS.entropyHn;
const NORM = a.METRIC_TAGS.normWeights;

function groups(argv) {
  const out = { baseline: [], floor: [], matched: [] };
  let into = 'baseline';
  for (const arg of argv) {
    if (arg === '--floor') into = 'floor';
    else if (arg === '--matched') into = 'matched';
    else out[into].push(arg);
  }
  return out;
}

const at = (records, step, tag) => records.find((r) => r.step === step)?.metrics[tag];
const fmt = (x, d = 3) => (x === undefined || x === null ? '–' : typeof x === 'number' ? x.toFixed(d) : String(x));
const minutes = (run) => {
  const last = run.records[run.records.length - 1];
  return last?.wallMs === undefined ? null : last.wallMs / 60000;
};
const lastStep = (run) => run.records[run.records.length - 1]?.step ?? '–';
const lastTest = (run) => run.records[run.records.length - 1]?.metrics[a.METRIC_TAGS.accuracyTest];
const seedOf = (run) => run.manifest.seed ?? run.manifest.config?.seed ?? run.name;

function table(head, rows) {
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

function main() {
  const g = groups(process.argv.slice(2));
  if (g.baseline.length === 0)
    throw new Error('usage: node bench/phenomenon.js <baseline run dir>... [--floor <dir>...] [--matched <dir>...]');
  const base = g.baseline.map((d) => a.readRun(d));
  const th = a.analyzeThreshold(base.map((r) => ({ name: r.name, records: r.records })));
  const hStar = th.threshold;
  console.log(
    `\nBaseline: ${base.length} runs; H̃* (max over runs of the lowest H̃ in (t_mem, t_grok]) = ${fmt(hStar)}\n`,
  );
  let plateaus = 0;
  let grokked = 0;
  let above = 0;
  let falls = 0;
  let secondHalf = 0;
  const rows = base.map((run) => {
    const { tMem, tGrok } = a.runEvents(run.records);
    const p = a.plateauCriterion(run.records);
    const hMem = tMem === null ? undefined : at(run.records, tMem, HN);
    const hGrok = tGrok === null ? undefined : at(run.records, tGrok, HN);
    const m = a.runMinimum(run.records);
    const tCross = hStar === null ? null : a.crossingStep(run.records, hStar, tMem);
    const where =
      tCross !== null && tGrok !== null && tMem !== null && tGrok > tMem ? (tCross - tMem) / (tGrok - tMem) : null;
    const fall = hMem !== undefined && hGrok !== undefined ? hMem - hGrok : null;
    if (tGrok !== null) grokked++;
    if (p?.plateaued) plateaus++;
    if (hMem !== undefined && hStar !== null && hMem - hStar >= GOALS.aboveThreshold) above++;
    if (fall !== null && fall >= GOALS.fall) falls++;
    if (where !== null && where > 0.5) secondHalf++;
    return [
      seedOf(run),
      fmt(tMem, 0),
      tGrok === null ? `censored at ${lastStep(run)} (test ${fmt(lastTest(run), 2)})` : String(tGrok),
      p ? `${fmt(p.share, 2)} ${p.plateaued ? 'yes' : 'no'}` : '–',
      fmt(hMem),
      hMem === undefined || hStar === null ? '–' : fmt(hMem - hStar),
      fmt(m),
      fmt(hGrok),
      fmt(fall),
      fmt(tCross, 0),
      fmt(where, 2),
      fmt(minutes(run), 1),
    ];
  });
  table(
    [
      'seed',
      't_mem',
      't_grok',
      'share of rise by mid-plateau, plateau?',
      'H̃(t_mem)',
      'H̃(t_mem) − H̃*',
      'm_r',
      'H̃(t_grok)',
      'fall',
      't_cross(H̃*)',
      'where in plateau',
      'minutes',
    ],
    rows,
  );
  const n = base.length;
  console.log(
    `\nPlateau then jump: ${plateaus} of ${n} (${goal(n)}, share < ${a.PLATEAU_MAX_SHARE}); grokked: ${grokked} of ${n} (goal: all)`,
  );
  console.log(
    `H̃(t_mem) ≥ H̃* + ${GOALS.aboveThreshold}: ${above} of ${n}; fall t_mem → t_grok ≥ ${GOALS.fall}: ${falls} of ${n} (${goal(n)} each)`,
  );
  console.log(`t_cross in the second half of the plateau: ${secondHalf} of ${n} (${goal(n)})`);

  if (g.floor.length) {
    const floor = g.floor.map((d) => a.readRun(d));
    let held = 0;
    const frows = floor.map((run) => {
      const { tMem, tGrok } = a.runEvents(run.records);
      const end = tGrok ?? run.records[run.records.length - 1]?.step ?? null;
      const hs = run.records
        .filter((r) => tMem !== null && r.step > tMem && r.step <= end && typeof r.metrics[HN] === 'number')
        .map((r) => r.metrics[HN]);
      const low = hs.length ? Math.min(...hs) : null;
      const ok = low !== null && hStar !== null && low > hStar;
      if (ok) held++;
      const twin = base.find((b) => seedOf(b) === seedOf(run));
      const twinGrok = twin ? a.runEvents(twin.records).tGrok : null;
      return [
        seedOf(run),
        fmt(tMem, 0),
        tGrok === null ? `censored at ${end}` : String(tGrok),
        fmt(twinGrok, 0),
        fmt(low),
        ok ? 'yes' : 'no',
        fmt(minutes(run), 1),
      ];
    });
    console.log(
      `\nEntropy floor: ${floor.length} runs, measured H̃ (the probe's tap and rows) against the baseline's H̃* = ${fmt(hStar)}\n`,
    );
    table(
      [
        'seed',
        't_mem',
        't_grok',
        'baseline t_grok',
        'lowest H̃ in (t_mem, t_grok or cap]',
        'stayed above H̃*',
        'minutes',
      ],
      frows,
    );
    console.log(
      `\nMeasured H̃ held above the baseline's H̃* until t_grok or the cap: ${held} of ${floor.length} (${goal(floor.length)})`,
    );
  }

  if (g.matched.length) {
    const matched = g.matched.map((d) => a.readRun(d));
    const mrows = matched.map((run) => {
      const refDir = run.manifest.config?.interventions?.find?.((i) => i.name === 'norm-matched')?.options?.reference;
      let worst = null;
      if (typeof refDir === 'string') {
        const ref = a.readRun(path.resolve(path.dirname(run.dir), refDir));
        for (const r of run.records) {
          const want = at(ref.records, r.step, NORM);
          const got = r.metrics[NORM];
          if (want === undefined || got === undefined) continue;
          const dev = Math.abs(got - want) / want;
          worst = worst === null ? dev : Math.max(worst, dev);
        }
      }
      const { tGrok } = a.runEvents(run.records);
      return [seedOf(run), tGrok === null ? 'censored' : String(tGrok), worst === null ? '–' : worst.toExponential(1)];
    });
    console.log(
      `\nNorm-matched: ${matched.length} runs, largest relative gap between ‖θ‖ and the reference run's at the same evaluated step\n`,
    );
    table(['seed', 't_grok', 'largest ‖θ‖ gap'], mrows);
  }
}

main();
