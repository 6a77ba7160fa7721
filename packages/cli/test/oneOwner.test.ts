/**
 * docs/architecture.md § Who owns which fact: the backend list, the default optimiser, the event
 * thresholds, the built-in probes' metric tags and "a run is finished" are each stated in one
 * place and imported everywhere else. This test reads the string and number literals of every
 * package's src/ (with the TypeScript parser, so comments do not count) and fails, listing
 * file:line, when one of those literals appears outside its owner. The facts of the run format
 * (tags, thresholds, finished) belong to @grokscope/base, which core re-exports and analysis and
 * the dashboard import directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as analysis from '@grokscope/analysis';
import {
  BACKENDS,
  DEFAULT_BACKEND,
  DEFAULT_OPTIMIZER,
  DEFAULT_THRESHOLDS,
  ENTROPY_TAG_PREFIX,
  isFinished,
  METRIC_TAGS,
  NATIVE_BACKEND,
  OPTIMIZERS,
} from '@grokscope/core/facts';
import { optimizerConfigSchema } from '@grokscope/core';
import * as ts from 'typescript';
import { runConfigSchema } from '../src/configSchema';

const root = path.resolve(__dirname, '../../..');

interface Literal {
  readonly at: string;
  readonly kind: 'string' | 'number';
  readonly text: string;
}

/** Every string (quoted, or a piece of a template) and number literal in `code`, with its line. */
function literalsOf(rel: string, code: string): Literal[] {
  const source = ts.createSourceFile(rel, code, ts.ScriptTarget.Latest, true);
  const out: Literal[] = [];
  const at = (n: ts.Node) => `${rel}:${source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1}`;
  const visit = (n: ts.Node): void => {
    if (
      ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) ||
      ts.isTemplateHead(n) ||
      ts.isTemplateMiddle(n) ||
      ts.isTemplateTail(n)
    ) {
      out.push({ at: at(n), kind: 'string', text: n.text });
    } else if (ts.isNumericLiteral(n)) {
      out.push({ at: at(n), kind: 'number', text: n.text });
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** src/ of every workspace package: not tests, not docs, not build output. */
const files = ['packages', 'examples']
  .flatMap((d) => fs.readdirSync(path.join(root, d)).map((p) => path.join(root, d, p)))
  .filter((d) => fs.existsSync(path.join(d, 'package.json')))
  .flatMap((d) => sourceFiles(path.join(d, 'src')))
  .map((f) => {
    const rel = path.relative(root, f).split(path.sep).join('/');
    const code = fs.readFileSync(f, 'utf8');
    return { rel, code, literals: literalsOf(rel, code) };
  });

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const word = (s: string) => new RegExp(`(?<![\\w/])${escape(s)}(?![\\w/])`);

interface Fact {
  readonly fact: string;
  /** Files (or folders, ending in `/`) allowed to write the literal, each with why. */
  readonly owners: Readonly<Record<string, string>>;
  /** A literal that states the fact. */
  readonly literal?: (l: Literal) => boolean;
  /** A source line that restates the fact (for logic rather than a literal). */
  readonly line?: RegExp;
}

const CORE = 'packages/core/src/facts.ts';
const TAGS = 'packages/base/src/metricTags.ts';
const THRESHOLDS = 'packages/base/src/eventThresholds.ts';
const STATUSES = 'packages/base/src/runStatus.ts';
const tags = Object.values(METRIC_TAGS).map(word);
const thresholds = new Set<number>(Object.values(DEFAULT_THRESHOLDS));

const FACTS: readonly Fact[] = [
  {
    fact: 'a metric tag of a built-in probe',
    owners: { [TAGS]: 'the owner' },
    literal: (l) => l.kind === 'string' && (tags.some((re) => re.test(l.text)) || l.text === ENTROPY_TAG_PREFIX),
  },
  {
    fact: 'an event threshold (0.99 memorised, 0.95 grokked)',
    owners: {
      [THRESHOLDS]: 'the owner',
      'packages/analysis/src/bootstrapMeanDiffCI.ts':
        'DEFAULT_CI_LEVEL, the bootstrap coverage: the same number, another fact',
    },
    literal: (l) => l.kind === 'number' && thresholds.has(Number(l.text)),
  },
  {
    fact: 'a backend name',
    owners: {
      [CORE]: 'the owner of the list',
      'packages/core/src/backend/': 'the backends themselves: loading each, its memory limit, its kernels',
    },
    literal: (l) =>
      l.kind === 'string' &&
      ((BACKENDS as readonly string[]).includes(l.text) || /--backend (wasm|cpu|tensorflow)\b/.test(l.text)),
  },
  {
    fact: 'an optimiser name',
    owners: {
      [CORE]: 'the owner of the list and the default',
      'packages/core/src/optim/': 'the optimisers themselves',
      'packages/core/src/presets.ts': "STUDY_OPTIMIZER, the study's own choice (deliberately not the default)",
    },
    literal: (l) => l.kind === 'string' && (OPTIMIZERS as readonly string[]).includes(l.text),
  },
  {
    fact: 'when a run is finished',
    owners: { [STATUSES]: 'FINISHED_STATUSES and isFinished(summary, cap)' },
    line: /status\s*===\s*'completed'\s*&&|\[\s*'completed',\s*'stopped'\s*\]/,
  },
];

const owned = (fact: Fact, rel: string) =>
  Object.keys(fact.owners).some((o) => (o.endsWith('/') ? rel.startsWith(o) : rel === o));

function hits(fact: Fact): { rel: string; at: string; text: string }[] {
  return files.flatMap(({ rel, code, literals }) => [
    ...(fact.literal ? literals.filter(fact.literal).map((l) => ({ rel, at: l.at, text: l.text })) : []),
    ...(fact.line
      ? code
          .split('\n')
          .flatMap((text, i) => (fact.line!.test(text) ? [{ rel, at: `${rel}:${i + 1}`, text: text.trim() }] : []))
      : []),
  ]);
}

test('the scan reads every package and finds literals, and only literals', () => {
  const packages = new Set(files.map((f) => f.rel.split('/').slice(0, 2).join('/')));
  for (const p of [
    'packages/base',
    'packages/core',
    'packages/tasks',
    'packages/models',
    'packages/probes',
    'packages/analysis',
    'packages/cli',
    'examples/custom-probe',
  ])
    expect(packages).toContain(p);
  expect(files.length).toBeGreaterThan(80);
  const snippet = [
    '// a comment naming accuracy/test and 0.95 is not a literal',
    '/** nor is `entropy/Hn` in a doc comment */',
    "const a = { 'accuracy/test': 1 };",
    'const b = `H̃ ${h} from entropy/Hn`;',
    'const c = x >= 0.95;',
    "const d = 'wasm';",
  ].join('\n');
  const found = literalsOf('snippet.ts', snippet);
  expect(found.filter(FACTS[0]!.literal!).map((l) => l.at)).toEqual(['snippet.ts:3', 'snippet.ts:4']);
  expect(found.filter(FACTS[1]!.literal!).map((l) => l.at)).toEqual(['snippet.ts:5']);
  expect(found.filter(FACTS[2]!.literal!).map((l) => l.at)).toEqual(['snippet.ts:6']);
});

test.each(FACTS.map((f) => [f.fact, f]))('%s is written only by its owner', (_name, fact) => {
  const all = hits(fact);
  // Not vacuous: every owner file does state the fact, so the scan would see a copy elsewhere.
  for (const owner of Object.keys(fact.owners)) {
    expect({
      owner,
      found: all.some((h) => (owner.endsWith('/') ? h.rel.startsWith(owner) : h.rel === owner)),
    }).toEqual({ owner, found: true });
  }
  const strays = all.filter((h) => !owned(fact, h.rel)).map((h) => `${h.at}: ${JSON.stringify(h.text)}`);
  expect(strays).toEqual([]);
});

test('the owner files state every value of their fact', () => {
  const literals = (owner: string) => files.find((f) => f.rel === owner)!.literals.map((l) => l.text);
  expect(literals(TAGS)).toEqual(expect.arrayContaining([...Object.values(METRIC_TAGS), ENTROPY_TAG_PREFIX]));
  expect(literals(THRESHOLDS)).toEqual(expect.arrayContaining(Object.values(DEFAULT_THRESHOLDS).map(String)));
  expect(literals(CORE)).toEqual(expect.arrayContaining([...BACKENDS, ...OPTIMIZERS]));
});

test("analysis's finished runs are isFinished's, and the entropy tag is the probe's prefix", () => {
  expect(METRIC_TAGS.entropyHn).toBe(`${ENTROPY_TAG_PREFIX}/Hn`);
  const steps = 100;
  for (const status of ['completed', 'stopped', 'interrupted', 'failed'] as const) {
    const summary = { status, steps };
    const reader = analysis.runState({ records: [], summary }).finished;
    expect({ status, reader }).toEqual({ status, reader: isFinished(summary, steps) });
  }
  // The cap: a run completed at a smaller cap is unfinished for a larger one; a stopped run is finished whatever the cap.
  expect(isFinished({ status: 'completed', steps: 50 }, steps)).toBe(false);
  expect(isFinished({ status: 'stopped', steps: 50 }, steps)).toBe(true);
  expect(isFinished(null, steps)).toBe(false);
});

test("the config schema's defaults and choices are core's", () => {
  const config = runConfigSchema.parse({
    task: { kind: 'cyclic' },
    model: { kind: 'transformer' },
    train: { steps: 1 },
  });
  expect(config.backend).toBe(DEFAULT_BACKEND);
  expect(config.optimizer).toEqual(DEFAULT_OPTIMIZER);
  expect(config.thresholds).toEqual(DEFAULT_THRESHOLDS);
  // A partly given section is completed with the same defaults.
  const partly = runConfigSchema.parse({
    task: { kind: 'cyclic' },
    model: { kind: 'transformer' },
    train: { steps: 1 },
    optimizer: { lr: 0.01 },
    thresholds: {},
  });
  expect(partly.optimizer).toEqual({ ...DEFAULT_OPTIMIZER, lr: 0.01 });
  expect(partly.thresholds).toEqual(DEFAULT_THRESHOLDS);
  expect(runConfigSchema.shape.backend.unwrap().options).toEqual([...BACKENDS]);
  // The optimiser section is core's own schema, or a module entry (the last branch).
  const [builtin, moduleEntry] = runConfigSchema.shape.optimizer.options;
  expect(builtin).toBe(optimizerConfigSchema);
  expect(builtin.unwrap().shape.name.unwrap().options).toEqual([...OPTIMIZERS]);
  expect(Object.keys(moduleEntry.shape)).toEqual(['module', 'export', 'options']);
  expect(BACKENDS).toContain(NATIVE_BACKEND);
});
