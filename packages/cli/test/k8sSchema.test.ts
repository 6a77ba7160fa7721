/**
 * Every object `--emit k8s` writes is valid against the Kubernetes API's OpenAPI schema, checked
 * offline with the validators kubernetes-models ships (types, required fields, enums, quantity
 * formats). Those schemas let unknown fields through, so field names are left to the compiler:
 * the objects are built as kubernetes-types types, and the last test shows a misspelt one fails to
 * type-check (`npm run typecheck`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Job as JobType } from 'kubernetes-types/batch/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim } from 'kubernetes-models/v1';
import YAML from 'yaml';
import { emitScheduler } from '../src/emitScheduler';
import { run, tmp } from './cliHarness';

const sweepYaml = `base:
  task: { kind: cyclic, modulus: 11, trainFraction: 0.5 }
  model: { kind: transformer, dModel: 16, heads: 4, dMlp: 32 }
  train: { steps: 20, evalEvery: 10 }
out: results
grid:
  seed: [0, 1, 2]
`;

/** A parsed Kubernetes object: navigated by path in the assertions. */
type K8sObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed document

const models: Record<string, new (data: K8sObject) => { validate(): void }> = { Job, ConfigMap, PersistentVolumeClaim };

/** The documents of an emitted file, as the API server would receive them from `kubectl apply`. */
function objects(file: string): K8sObject[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS() as K8sObject;
  });
}

/** Validates `obj` by its kind's schema; throws with the schema's complaint. */
function validate(obj: K8sObject): void {
  const Model = models[obj['kind']];
  if (!Model) throw new Error(`no schema for kind ${obj['kind']}`);
  new Model(obj).validate();
}

/** The files `sweep --emit k8s` and `reproduce --emit k8s` write, with and without every job option. */
function emittedFiles(): string[] {
  const dir = tmp();
  const sweep = path.join(dir, 'seeds.yaml');
  fs.writeFileSync(sweep, sweepYaml);
  const results = path.join(dir, 'results');
  const plain = emitScheduler('k8s', sweep, results, 3);
  const chosen = path.join(dir, 'chosen', 'seeds.json');
  fs.mkdirSync(path.dirname(chosen));
  fs.writeFileSync(chosen, JSON.stringify(YAML.parse(sweepYaml)));
  const options = {
    image: 'registry.example.org/team/grokscope:0.1.0',
    command: `node /opt/grokscope/packages/cli/dist/bin.js --it's: "fine" $HOME`,
    jobName: 'seeds-test',
    storageClass: 'nfs-client',
    resources: { cpusPerTask: 3, memMiB: 6144 },
  };
  const everyOption = emitScheduler('k8s', chosen, results, 2, options);
  // A sweep file the ConfigMap carries as base64 (binaryData), since YAML 1.1 reads U+2028 as a line break.
  const odd = path.join(dir, 'odd', 'seeds.yaml');
  fs.mkdirSync(path.dirname(odd));
  fs.writeFileSync(odd, `${sweepYaml}# a note\u2028\n`);
  const binary = emitScheduler('k8s', odd, results, 2);
  expect(objects(binary)[1]!['binaryData']).toBeDefined();
  const study = path.join(dir, 'study');
  const reproduce = run([
    'reproduce',
    '--study',
    path.join(__dirname, 'fixtures', 'tinyStudy.yaml'),
    '--out',
    study,
    '--emit',
    'k8s',
  ]);
  expect(reproduce.stderr).toBe('');
  expect(reproduce.status).toBe(0);
  return [plain, everyOption, binary, path.join(study, 'study.sweep.k8s.yaml')];
}

test('every emitted Kubernetes object is valid against the API schema', () => {
  const files = emittedFiles();
  const kinds: string[] = [];
  for (const file of files) {
    for (const obj of objects(file)) {
      expect(() => validate(obj)).not.toThrow();
      kinds.push(obj['kind']);
    }
  }
  // Each file holds the results volume, the sweep file and the Job: all twelve validated, none skipped.
  expect(kinds).toEqual(files.flatMap(() => ['PersistentVolumeClaim', 'ConfigMap', 'Job']));
});

test('negative controls: the validation fails on wrong types, a missing required field, an enum and a quantity', () => {
  const dir = tmp();
  const sweep = path.join(dir, 'seeds.yaml');
  fs.writeFileSync(sweep, sweepYaml);
  const [pvc, configMap, job] = objects(emitScheduler('k8s', sweep, path.join(dir, 'results'), 3));
  const container = ['spec', 'template', 'spec', 'containers', 0];
  /** `obj` with the field at `keys` set to `value`, or removed when it is undefined. */
  const edited = (obj: K8sObject, keys: (string | number)[], value: unknown) => {
    const copy = structuredClone(obj);
    const parent = keys.slice(0, -1).reduce((o, k) => o[k], copy);
    const last = keys[keys.length - 1]!;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
    return copy;
  };
  const controls: [K8sObject, (string | number)[], unknown, RegExp][] = [
    [job!, [...container, 'image'], 3, /containers\/0\/image must be string/],
    [job!, [...container, 'name'], undefined, /containers\/0 must have required property name/],
    [
      job!,
      ['spec', 'template', 'spec', 'restartPolicy'],
      'Sometimes',
      /restartPolicy must be equal to one of the allowed values/,
    ],
    [job!, ['apiVersion'], 'v1', /apiVersion must be equal to one of the allowed values/],
    [pvc!, ['spec', 'resources', 'requests', 'storage'], '10 GB', /storage must match format "quantity"/],
    [configMap!, ['data', 'sweep.yaml'], 7, /data\/sweep\.yaml must be string/],
  ];
  for (const [obj, keys, value, complaint] of controls) {
    expect(() => validate(obj)).not.toThrow();
    expect(() => validate(edited(obj, keys, value))).toThrow(complaint);
  }
});

test('a misspelt field of a Job does not type-check', () => {
  const job: JobType = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    // @ts-expect-error -- ttlSecondsAfterFinish is not a field of a JobSpec (ttlSecondsAfterFinished is)
    spec: { ttlSecondsAfterFinish: 86400, template: {} },
  };
  expect(job.kind).toBe('Job');
});
