/**
 * The run format's published contract: the JSON Schemas shipped in schemas/ are what the zod
 * schemas generate, and a standard JSON Schema validator (ajv, draft 2020-12) agrees with the
 * readers' own validation on grokscope's runs, on another trainer's, and on broken files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  metricsRecordSchema,
  RUN_FORMAT,
  runJsonSchemas,
  runManifestProblems,
  runManifestSchema,
  runSummarySchema,
  schemaProblems,
} from '../src';

const schemaDir = path.join(__dirname, '..', 'schemas');
const generated = runJsonSchemas();
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = Object.fromEntries(Object.entries(generated).map(([file, schema]) => [file, ajv.compile(schema)]));
const valid = (file: string, data: unknown) => validators[file]!(data) === true;

test('the shipped schema files are exactly what the code generates (npm run schemas -w @grokscope/base)', () => {
  expect(fs.readdirSync(schemaDir).sort()).toEqual(Object.keys(generated).sort());
  for (const [file, schema] of Object.entries(generated)) {
    expect({ file, text: fs.readFileSync(path.join(schemaDir, file), 'utf8') }).toEqual({
      file,
      text: JSON.stringify(schema, null, 2) + '\n',
    });
  }
});

describe("grokscope's own runs validate (the quick study's fixture runs)", () => {
  const runsDir = path.join(__dirname, '..', '..', 'analysis', 'test', 'quick-runs');
  const runs = fs.readdirSync(runsDir).filter((d) => fs.existsSync(path.join(runsDir, d, 'manifest.json')));
  test.each(runs)('%s', (run) => {
    const read = (f: string) => fs.readFileSync(path.join(runsDir, run, f), 'utf8');
    const manifest = JSON.parse(read('manifest.json')) as unknown;
    expect(valid('manifest.schema.json', manifest)).toBe(true);
    expect(runManifestProblems(manifest)).toEqual([]);
    const lines = read('metrics.jsonl').trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(valid('metrics-record.schema.json', JSON.parse(line))).toBe(true);
    expect(valid('summary.schema.json', JSON.parse(read('summary.json')))).toBe(true);
  });
});

const foreign = {
  format: RUN_FORMAT,
  trainer: { name: 'pytorch-loop', version: '0.3' },
  config: { lr: 1e-3 },
  seed: 4,
};
const ours = {
  format: RUN_FORMAT,
  trainer: { name: 'grokscope', version: '0.1.0' },
  config: {},
  seed: 0,
  backend: 'wasm',
  versions: { '@grokscope/core': '0.1.0' },
  createdAt: 'x',
};

describe('ajv (the published schemas) and the readers (zod) agree', () => {
  const manifests: [string, unknown, boolean][] = [
    ['another trainer, the least it must write', foreign, true],
    ['grokscope, as it writes now', ours, true],
    ['grokscope before format and trainer existed', { ...ours, format: undefined, trainer: undefined }, true],
    ['another trainer without format', { ...foreign, format: undefined }, false],
    ['another trainer without its version', { ...foreign, trainer: { name: 'pytorch-loop' } }, false],
    ['claims to be grokscope but has no versions', { ...foreign, trainer: { name: 'grokscope', version: '1' } }, false],
    ['a seed that is not an integer', { ...foreign, seed: 1.5 }, false],
    ['config not an object', { ...foreign, config: [1] }, false],
    ['a malformed format', { ...foreign, format: 'grokscope-run/v1' }, false],
  ];
  test.each(manifests)('manifest: %s', (_what, data, ok) => {
    const clean = JSON.parse(JSON.stringify(data)) as unknown; // drops the undefined fields, as a file would
    expect(valid('manifest.schema.json', clean)).toBe(ok);
    expect(runManifestSchema.safeParse(clean).success).toBe(ok);
    expect(runManifestProblems(clean).length === 0).toBe(ok);
  });

  const records: [string, unknown, boolean][] = [
    ['a record', { step: 50, wallMs: 812.5, metrics: { 'accuracy/train': 1, 'entropy/Hn': 0.61 } }, true],
    ['a metric that was not finite (null)', { step: 0, wallMs: 0, metrics: { 'loss/test': null } }, true],
    ['a fractional step', { step: 1.5, wallMs: 0, metrics: {} }, false],
    ['a negative step', { step: -1, wallMs: 0, metrics: {} }, false],
    ['a metric given as text', { step: 0, wallMs: 0, metrics: { 'accuracy/test': '0.9' } }, false],
    ['no metrics', { step: 0, wallMs: 0 }, false],
  ];
  test.each(records)('metrics record: %s', (_what, data, ok) => {
    expect(valid('metrics-record.schema.json', data)).toBe(ok);
    expect(schemaProblems(metricsRecordSchema, data).length === 0).toBe(ok);
  });

  const summaries: [string, unknown, boolean][] = [
    [
      'completed with events',
      { status: 'completed', steps: 3000, events: { memorised: 100, grokked: null }, wallMs: 1 },
      true,
    ],
    ['the least: status and steps', { status: 'stopped', steps: 1250 }, true],
    ['a status that is not one of the four', { status: 'running', steps: 10 }, false],
    ['steps as text', { status: 'failed', steps: '10' }, false],
  ];
  test.each(summaries)('summary: %s', (_what, data, ok) => {
    expect(valid('summary.schema.json', data)).toBe(ok);
    expect(schemaProblems(runSummarySchema, data).length === 0).toBe(ok);
  });
});

test('problems name the field and what it should be; a newer format is named, not misread', () => {
  expect(runManifestProblems({ ...foreign, seed: 1.5, trainer: { name: 'pytorch-loop' } })).toEqual([
    '"trainer.version" is missing (a string)',
    '"seed" is 1.5, expected an integer',
  ]);
  expect(runManifestProblems({ ...foreign, format: 'grokscope-run/2' })).toEqual([
    '"format" is grokscope-run/2, newer than the grokscope-run/1 this grokscope reads; upgrade grokscope to read this run',
  ]);
  expect(runManifestProblems(null)).toEqual(['it is not a JSON object']);
});
