import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandSweep, readSweep } from '../src/expandSweep';
import { resolveTask } from '../src/resolveComponents';
import { builtinStudy, readStudy, studySweep } from '../src/studyFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-study-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

test.each(['quick', 'paper'])(
  'the shipped %s study expands to 10 seeds of every role, norm-matched following entropy-floor',
  (scale) => {
    const study = readStudy(builtinStudy(scale));
    const file = write(`${scale}.sweep.json`, JSON.stringify(studySweep(study, path.join(dir, scale))));
    const runs = expandSweep(readSweep(file));
    const conditions = new Set(runs.map((r) => r.config.condition));
    for (const role of Object.values(study.roles).flat()) expect(conditions).toContain(role);
    expect(runs).toHaveLength(10 * conditions.size);
    const nm = runs.find((r) => r.name === 'seed=3,condition=norm-matched')!;
    expect(nm.dependsOn).toEqual(['seed=3,condition=entropy-floor']);
    for (const r of runs) expect(r.config.train.stopAfterGrokked).toBeGreaterThan(0);
    expect((runs.find((r) => r.config.condition === 'mlp')!.config.model as { kind?: string }).kind).toBe('mlp');
    // The task built from the role's config says itself whether its group commutes.
    const nonAbelian = runs.find((r) => r.config.condition === study.roles.nonAbelian)!;
    expect(resolveTask(nonAbelian.config.task, dir).abelian).toBe(false);
  },
);

test('--seeds replaces the seed list; relative paths are not the sweep folder', () => {
  const study = readStudy(builtinStudy('quick'));
  const sweep = studySweep(study, path.join(dir, 'q'), 3);
  expect((sweep['grid'] as { seed: number[] }).seed).toEqual([0, 1, 2]);
  expect(sweep['out']).toBe(path.join(dir, 'q'));
});

test.each([
  [
    'an unknown field',
    'name: x\nrols: {}\nsweep: { base: quick, grid: { seed: [0], condition: [baseline] } }\n',
    /study\.rols: unknown field/,
  ],
  [
    'an unknown role',
    'name: x\nroles: { baseline: [baseline], treatment: baseline }\nsweep: { base: quick, grid: { seed: [0], condition: [baseline] } }\n',
    /study\.roles\.treatment: unknown role; roles are baseline, intervention/,
  ],
  [
    'a role naming no condition',
    'name: x\nroles: { baseline: [baseline], mlp: mlp }\nsweep: { base: quick, grid: { seed: [0], condition: [baseline] } }\n',
    /study\.roles\.mlp: "mlp" is not in sweep\.grid\.condition \(baseline\)/,
  ],
  [
    'no seeds',
    'name: x\nroles: { baseline: [baseline] }\nsweep: { base: quick, grid: { condition: [baseline] } }\n',
    /study\.sweep\.grid\.seed: missing/,
  ],
  [
    'an out of its own',
    'name: x\nroles: { baseline: [baseline] }\nsweep: { base: quick, out: here, grid: { seed: [0], condition: [baseline] } }\n',
    /study\.sweep\.out: remove it/,
  ],
])('a study file with %s is a named error', (_what, text, message) => {
  expect(() => readStudy(write('s.yaml', text))).toThrow(message);
});

test('an unknown scale names the studies shipped', () => {
  expect(() => builtinStudy('huge')).toThrow(/--scale: got "huge"; the studies shipped are .*paper.*quick/);
});
