import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Job } from 'kubernetes-types/batch/v1';
import type { ConfigMap, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import YAML from 'yaml';
import { ConfigError } from '@grokscope/core';
import { type PlannedRun, shardRuns } from './expandSweep';
import { checkMemory } from './memoryCheck';

/** Where the results volume is mounted in a Kubernetes pod; the sweep's `out` is replaced by it. */
export const K8S_RESULTS_DIR = '/results';

function cliVersion(): string {
  try {
    return (require('../package.json') as { version: string }).version;
  } catch {
    return 'latest';
  }
}

/** What the emitted job runs: how it invokes grokscope and, on Kubernetes, in which image. */
export interface JobCommand {
  /**
   * The command line that starts grokscope on a node or in the container, e.g.
   * `node /shared/grokscope/packages/cli/dist/bin.js` (a checkout), `npx --yes @grokscope/cli@0.1.0`
   * (a published package), `apptainer exec grokscope.sif grokscope` (an image on Slurm).
   * Default: Slurm, this installation (`defaultSlurmCommand`); Kubernetes, `grokscope` in the image.
   */
  readonly command?: string;
  /** Kubernetes: the container image (default `DEFAULT_IMAGE`, built from the repository's Dockerfile). */
  readonly image?: string;
}

/** The image a Kubernetes job runs unless told otherwise: the repository's Dockerfile, built and tagged as the README says (docs/cluster.md). */
export const DEFAULT_IMAGE = `grokscope:${cliVersion()}`;

/**
 * The Slurm job's default command: this very installation, `node <…>/packages/cli/dist/bin.js`.
 * The sweep's results must be on a filesystem every node sees already; a checkout there works
 * on every node with no registry involved (the package is not published yet).
 */
export function defaultSlurmCommand(): string {
  return `node ${shellQuote(path.join(__dirname, 'bin.js'))}`;
}

/** A POSIX-shell word: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Control characters, and the Unicode line and paragraph separators that YAML 1.1 parsers take
 * as line breaks. The paths and the command are written into the job's comments and its
 * `#SBATCH` lines, where no quoting exists: a line break there starts a new line of the script
 * (run by bash, or read as YAML keys), so such names are refused rather than quoted.
 */
const LINE_BREAKING = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

function refuseLineBreaks(field: string, value: string, what: string): void {
  const m = LINE_BREAKING.exec(value);
  if (!m) return;
  const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  throw new ConfigError(
    field,
    `${what} ${JSON.stringify(value)} holds a line break or control character (${code}), which would end a line of the emitted job file; ` +
      'rename it (or choose another) without one',
  );
}

/** Text for inside double quotes in a shell script. */
const dq = (s: string) => s.replace(/[\\"$`]/g, (c) => `\\${c}`);

const MIB = 1024 * 1024;
/**
 * A train worker's memory beside its tensors: node, tfjs and the wasm module. docs/limits.md
 * measured the peak RSS 0.2–0.4 GB above the tensor estimate; 512 MiB leaves room.
 */
const WORKER_OVERHEAD_MIB = 512;
/** The wasm heap grows in steps and freed tensors leave holes in it: the estimate times this. */
const TENSOR_HEADROOM = 1.25;
/** The sweep process that starts the workers and waits on them. */
const SWEEP_MIB = 256;
/** A run whose size cannot be told before it is built (a team's own task or model module). */
const UNKNOWN_WORKER_MIB = 2048;
/** The report job: one process reading every run's records, well under this for a paper-scale study. */
const REPORT_MIB = 2048;
const REPORT_TIME = '1:00:00';
export const DEFAULT_TIME = '24:00:00';

/** What each job asks the scheduler for; the emit command prints it and each field has an option. */
export interface JobResources {
  /** CPUs per shard, one worker each: the most runs of one shard that can train at once. */
  readonly cpusPerTask: number;
  /** Memory per shard in MiB: the sweep process plus, per worker, its largest run's estimate and overhead. */
  readonly memMiB: number;
  /** False when some run's size could not be told and a default stood in for it. */
  readonly memEstimated: boolean;
}

/**
 * CPUs and memory for one shard of `runs` split `shards` ways. A run waits for the runs it
 * references, so a shard trains at most as many runs at once as it has at one depth of its
 * references; more CPUs than that would sit idle.
 */
export function jobResources(runs: readonly PlannedRun[], shards: number, baseDir = process.cwd()): JobResources {
  const byName = new Map(runs.map((r) => [r.name, r]));
  const depth = new Map<string, number>();
  const depthOf = (r: PlannedRun): number => {
    let d = depth.get(r.name);
    if (d === undefined) {
      d = Math.max(-1, ...r.dependsOn.map((n) => (byName.has(n) ? depthOf(byName.get(n)!) : -1))) + 1;
      depth.set(r.name, d);
    }
    return d;
  };
  let cpusPerTask = 1;
  for (let k = 0; k < shards; k++) {
    const counts = new Map<number, number>();
    for (const r of shardRuns(runs, k, shards)) counts.set(depthOf(r), (counts.get(depthOf(r)) ?? 0) + 1);
    cpusPerTask = Math.max(cpusPerTask, ...counts.values());
  }
  let workerMiB = 0;
  let memEstimated = true;
  for (const r of runs) {
    const check = checkMemory(r.config, baseDir);
    if (check === null) memEstimated = false;
    const tensors = check === null ? 0 : Math.ceil((check.estimate.bytes * TENSOR_HEADROOM) / MIB);
    const mib = check === null ? UNKNOWN_WORKER_MIB : tensors + WORKER_OVERHEAD_MIB;
    workerMiB = Math.max(workerMiB, mib);
  }
  return { cpusPerTask, memMiB: SWEEP_MIB + cpusPerTask * workerMiB, memEstimated };
}

const UNIT_MIB: Record<string, number> = { '': 1, K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 };

/** `--mem` as Slurm writes it (4096, 4096M, 4G, 1T) → MiB; a clear error naming the flag otherwise. */
export function parseMem(text: string): number {
  const m = /^(\d+)([KMGT]?)i?B?$/i.exec(text.trim());
  const mib = m ? Number(m[1]) * UNIT_MIB[m[2]!.toUpperCase()]! : NaN;
  if (!(mib >= 1))
    throw new ConfigError('--mem', `got "${text}"; give memory per shard as Slurm does, e.g. 4G or 3500M`);
  return Math.ceil(mib);
}

/** Slurm's time formats: minutes, m:s, h:m:s, d-h, d-h:m, d-h:m:s, or UNLIMITED. */
export function checkTime(text: string): string {
  if (/^(\d+(:\d{1,2}){0,2}|\d+-\d+(:\d{1,2}){0,2}|unlimited|infinite)$/i.test(text)) return text;
  const e = '90 (minutes), 12:00:00 or 2-00:00:00 (days-hours:minutes:seconds)';
  throw new ConfigError('--time', `got "${text}"; give a Slurm time limit, e.g. ${e}`);
}

/** What the emitted job runs and asks for, beyond how it starts grokscope. */
export interface JobOptions extends JobCommand {
  /** The array job's name (`--job-name`); the report job's is `<name>-report`. Default grokscope-<sweep file name>. */
  readonly jobName?: string;
  /** Slurm: the array tasks' time limit (`--time`, default 24:00:00). */
  readonly time?: string;
  /** CPUs, one worker each, and memory in MiB per shard; default 2 CPUs and no memory request. */
  readonly resources?: Pick<JobResources, 'cpusPerTask' | 'memMiB'>;
  /** Kubernetes: the results volume's StorageClass (default: the cluster's default class). */
  readonly storageClass?: string;
  /**
   * Slurm: grokscope's arguments for the report job that runs once every shard has succeeded,
   * e.g. `['report', out, '--out', out + '/report']` (the default) or a `reproduce` command.
   */
  readonly report?: readonly string[];
}

/** The name the jobs of `sweepFile` get unless told: grokscope-<file name>, as Slurm and Kubernetes allow. */
export function defaultJobName(sweepFile: string): string {
  const base = path.basename(sweepFile).replace(/\.(json|ya?ml)$/i, '');
  return `grokscope-${
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'sweep'
  }`.slice(0, 52);
}

/**
 * Writes a scheduler job, next to the sweep file, that runs a sweep as `shards` independent
 * shards against one shared results folder. Shard k runs `grokscope sweep FILE --shard k/n`:
 * - Slurm: a file that, run once (`bash FILE.slurm.sh` on a login node, or `sbatch` it), submits
 *   an array job (task k = shard k, one worker per CPU) and a report job that waits for every
 *   task to succeed (`--dependency=afterok`). Results go to the sweep's `out`, which must be on
 *   a filesystem every node sees; grokscope is `job.command`, or `$GROKSCOPE` at submission.
 *   The logs folder is made now, and again by each submission: Slurm opens a job's output
 *   file before the job starts and makes no folders.
 * - Kubernetes: an Indexed Job (`completionMode: Indexed`), shard = `$JOB_COMPLETION_INDEX`,
 *   results on a PersistentVolumeClaim mounted at /results (`--out /results`), the sweep file
 *   from a ConfigMap in the same file (its content when emitted), grokscope from `job.image`.
 * Re-submitting is safe: finished runs are skipped, interrupted ones resume.
 */
export function emitScheduler(
  kind: 'slurm' | 'k8s',
  sweepFile: string,
  resultsDir: string,
  shards: number,
  job: JobOptions = {},
): string {
  if (job.command !== undefined && job.command.trim() === '')
    throw new ConfigError(
      '--command',
      'is empty; give the command that starts grokscope on a node, e.g. "node /shared/grokscope/packages/cli/dist/bin.js"',
    );
  if (job.image !== undefined && kind !== 'k8s') {
    throw new ConfigError(
      '--image',
      `applies to --emit k8s only; for Slurm give --command, e.g. --command "apptainer exec grokscope.sif grokscope"`,
    );
  }
  if (job.time !== undefined && kind !== 'slurm')
    throw new ConfigError('--time', 'applies to --emit slurm only; drop it');
  if (job.storageClass !== undefined && kind !== 'k8s')
    throw new ConfigError('--storage-class', 'applies to --emit k8s only; drop it');
  if (job.storageClass !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(job.storageClass))
    throw new ConfigError(
      '--storage-class',
      `got "${job.storageClass}"; a StorageClass name is lower-case letters, digits, '-' and '.'`,
    );
  if (job.image !== undefined && !/^[^\s"]+$/.test(job.image))
    throw new ConfigError(
      '--image',
      `"${job.image}" is not an image reference (no spaces or quotes), e.g. registry.example.org/grokscope:0.1.0`,
    );
  if (job.jobName !== undefined && !/^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$/.test(job.jobName)) {
    // Kubernetes object names are the strictest: lower-case letters, digits and '-'; the same works on Slurm.
    const rule = "lower-case letters, digits and '-', at most 52, starting and ending with a letter or digit";
    throw new ConfigError('--job-name', `got "${job.jobName}"; use ${rule}`);
  }
  refuseLineBreaks('FILE', sweepFile, 'the sweep file path');
  refuseLineBreaks('out', resultsDir, 'the results folder');
  refuseLineBreaks('--command', job.command ?? '', 'the command');
  // The image is named in the Kubernetes file's header comment, where \u0085 (not in \s above) would end the line.
  refuseLineBreaks('--image', job.image ?? '', 'the image');
  for (const arg of job.report ?? []) refuseLineBreaks('--study', arg, 'the report command argument');
  const name = job.jobName ?? defaultJobName(sweepFile);
  if (kind === 'slurm') return writeSlurm(sweepFile, resultsDir, shards, name, job);
  return writeK8s(sweepFile, shards, name, job);
}

function writeSlurm(sweepFile: string, resultsDir: string, shards: number, name: string, job: JobOptions): string {
  const base = path.basename(sweepFile).replace(/\.(json|ya?ml)$/i, '');
  const file = path.join(path.dirname(sweepFile), `${base}.slurm.sh`);
  const command = job.command ?? defaultSlurmCommand();
  const cpus = job.resources?.cpusPerTask ?? 2;
  const mem = job.resources ? ` --mem=${job.resources.memMiB}M` : '';
  const time = job.time ?? DEFAULT_TIME;
  const reportArgs = job.report ?? ['report', resultsDir, '--out', path.join(resultsDir, 'report')];
  const report = reportArgs.map(shellQuote).join(' ');
  const logs = path.join(resultsDir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  fs.writeFileSync(
    file,
    `#!/bin/bash
# The Slurm jobs of ${sweepFile}. Run this file once to submit them all:
#   bash ${file}     on a login node; arguments go to sbatch, e.g. --partition=short --time=12:00:00
#   sbatch ${file}   the same from a compute node (where nodes may submit jobs)
# It submits
# - the array job ${name}: ${shards} task(s), task k runs shard k/${shards} of the sweep with one worker per CPU
#   (--cpus-per-task=${cpus}${mem} --time=${time});
# - the report job ${name}-report, which starts once every task has succeeded (--dependency=afterok) and
#   runs: grokscope ${report}
#   If a task fails or is cancelled, Slurm cancels the report job: submit this file again. Finished runs are
#   skipped, interrupted ones resume from their checkpoints, and the report follows.
# Results go to ${resultsDir} (every node must see it), Slurm's output to ${logs}.
# grokscope is started as: ${command}
#   (set GROKSCOPE when submitting to change it, e.g. GROKSCOPE="apptainer exec grokscope.sif grokscope" bash ${file};
#    the default needs node ≥ 20.19 on the nodes' PATH, e.g. after \`module load nodejs\`)
# Only while this file submits from a compute node (sbatch ${path.basename(file)}); the jobs it submits set their own:
#SBATCH --job-name=${name}-submit
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=256M
#SBATCH --time=0:10:00
set -euo pipefail
SELF="${dq(file)}"
OUT="${dq(resultsDir)}"
GROKSCOPE="\${GROKSCOPE:-${dq(command)}}"
# A function, so GROKSCOPE may hold several words (and quoted paths) while the arguments keep theirs.
grokscope() { eval "$GROKSCOPE \\"\\$@\\""; }
case "\${1:-}" in
  --shard-task) # an array task, submitted below: its shard, one worker per CPU allocated
    grokscope sweep "${dq(sweepFile)}" --out "${dq(resultsDir)}" \\
      --shard "\${SLURM_ARRAY_TASK_ID}/${shards}" --workers "\${SLURM_CPUS_PER_TASK:-1}"
    exit ;;
  --report-task) # the report job, submitted below
    grokscope ${report}
    exit ;;
esac
# Slurm opens a job's --output file before the job starts and makes no folders.
mkdir -p "$OUT/logs"
array=$(sbatch --parsable --job-name=${name} --array=0-${shards - 1} \\
  --ntasks=1 --cpus-per-task=${cpus}${mem} --time=${time} \\
  --output="$OUT/logs/slurm-%A_%a.out" "$@" "$SELF" --shard-task)
array=\${array%%;*}
report=$(sbatch --parsable --job-name=${name}-report --dependency=afterok:"$array" --kill-on-invalid-dep=yes \\
  --ntasks=1 --cpus-per-task=1 --mem=${REPORT_MIB}M --time=${REPORT_TIME} \\
  --output="$OUT/logs/slurm-%j-report.out" "$@" "$SELF" --report-task)
report=\${report%%;*}
echo "submitted array job $array (${name}: ${shards} task(s), --cpus-per-task=${cpus}${mem} --time=${time}\${*:+ $*})"
echo "submitted report job $report (${name}-report, once every task has succeeded)"
echo "follow: squeue -j $array,$report; results in $OUT, the report in $OUT/report"
`,
    { mode: 0o755 },
  );
  return file;
}

/** The image's user `node` (the Dockerfile's USER): the pods run as it, not as root. */
const IMAGE_UID = 1000;

/**
 * U+0085, U+2028 and U+2029: line breaks to the YAML 1.1 reader kubectl uses, which the yaml
 * package writes as they are, so a sweep file holding one would not arrive as written.
 */
const YAML11_BREAKS = /[\u0085\u2028\u2029]/;

type K8sObjects = [PersistentVolumeClaim, ConfigMap, Job];

/**
 * The results volume, the sweep file and the Indexed Job, as Kubernetes API objects. Typed with
 * kubernetes-types so that a misspelt or misplaced field fails to compile rather than reach a cluster.
 */
function k8sObjects(sweepFile: string, shards: number, name: string, job: JobOptions): K8sObjects {
  const image = job.image ?? DEFAULT_IMAGE;
  const command = job.command ?? 'grokscope';
  const cpus = job.resources?.cpusPerTask ?? 2;
  const memory = job.resources ? `${job.resources.memMiB}Mi` : '4Gi';
  const sweepKey = `sweep${path.extname(sweepFile) || '.yaml'}`;
  const sweep = `/config/${sweepKey}`;
  const text = fs.readFileSync(sweepFile, 'utf8');
  // Readable text where YAML carries it faithfully; base64 otherwise, mounted as the same file.
  const base64 = { binaryData: { [sweepKey]: Buffer.from(text).toString('base64') } };
  const content = YAML11_BREAKS.test(text) ? base64 : { data: { [sweepKey]: text } };
  const configMap: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...content };
  const shard = `--shard "$JOB_COMPLETION_INDEX/${shards}"`;
  const pvc: PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: `${name}-results` },
    spec: {
      accessModes: ['ReadWriteMany'],
      ...(job.storageClass !== undefined && { storageClassName: job.storageClass }),
      resources: { requests: { storage: '10Gi' } },
    },
  };
  const k8sJob: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      completionMode: 'Indexed',
      completions: shards,
      parallelism: shards,
      backoffLimit: shards * 3,
      ttlSecondsAfterFinished: 86400,
      template: {
        spec: {
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: IMAGE_UID, runAsGroup: IMAGE_UID, fsGroup: IMAGE_UID },
          containers: [
            {
              name: 'grokscope',
              image,
              // sh -c so that the shell expands $JOB_COMPLETION_INDEX and splits a --command of several words.
              command: ['sh', '-c'],
              args: [`${command} sweep ${sweep} --out ${K8S_RESULTS_DIR} ${shard} --workers ${cpus}`],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              resources: { requests: { cpu: String(cpus), memory }, limits: { memory } },
              volumeMounts: [
                { name: 'results', mountPath: K8S_RESULTS_DIR },
                { name: 'sweep', mountPath: '/config' },
              ],
            },
          ],
          volumes: [
            { name: 'results', persistentVolumeClaim: { claimName: `${name}-results` } },
            { name: 'sweep', configMap: { name } },
          ],
        },
      },
    },
  };
  return [pvc, configMap, k8sJob];
}

/** Puts `text` as a comment line above the key at `keys`, for whoever reads the file before applying it. */
function commentAbove(doc: YAML.Document, keys: readonly (string | number)[], text: string): void {
  const parent = doc.getIn(keys.slice(0, -1), true);
  const last = keys[keys.length - 1];
  const pair = YAML.isMap(parent) ? parent.items.find((p) => YAML.isScalar(p.key) && p.key.value === last) : undefined;
  if (!pair || !YAML.isScalar(pair.key)) throw new Error(`no key ${keys.join('.')} in the emitted object`);
  pair.key.commentBefore = ` ${text}`;
}

function writeK8s(sweepFile: string, shards: number, name: string, job: JobOptions): string {
  const base = path.basename(sweepFile).replace(/\.(json|ya?ml)$/i, '');
  const file = path.join(path.dirname(sweepFile), `${base}.k8s.yaml`);
  const image = job.image ?? DEFAULT_IMAGE;
  const command = job.command ?? 'grokscope';
  const [pvc, configMap, k8sJob] = k8sObjects(sweepFile, shards, name, job);
  const header = [
    `Kubernetes Indexed Job: pod k runs shard k of ${shards} of ${path.basename(sweepFile)}; every pod writes`,
    `to the shared PersistentVolumeClaim "${name}-results" (ReadWriteMany), mounted at ${K8S_RESULTS_DIR}.`,
    `The ConfigMap "${name}" holds the sweep file as it was when this file was written. Run it with`,
    `  kubectl apply -f ${shellQuote(file)}`,
    'A pod that fails is retried; finished runs are skipped and interrupted ones resume. A Job that has',
    'ended is kept a day for its logs (ttlSecondsAfterFinished), and applying the file again meanwhile',
    'changes nothing; to run it again (after a failure, or after editing the sweep file and emitting again):',
    `  kubectl delete job ${name} --ignore-not-found && kubectl apply -f ${shellQuote(file)}`,
    'Config files or probe modules the sweep names by path must be in the image, or added to the ConfigMap.',
    `The image ${image} runs \`${command}\`; the default is the repository's Dockerfile:`,
    `  docker build -t ${image} . && docker push ${image}   (retag for your registry; docs/cluster.md)`,
  ];
  const pvcDoc = new YAML.Document(pvc);
  pvcDoc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  const jobDoc = new YAML.Document(k8sJob);
  const pod = ['spec', 'template', 'spec'];
  const runAs = "The image's user (uid 1000, not root); fsGroup makes the results volume writable by it.";
  commentAbove(jobDoc, [...pod, 'securityContext'], runAs);
  const memory = "Memory from the runs' estimate (or --mem); a pod over its limit is killed, then retried.";
  commentAbove(jobDoc, [...pod, 'containers', 0, 'resources'], memory);
  // No folding: the container's command line stays on one line, as a reader of the file expects it.
  const docs = [pvcDoc, new YAML.Document(configMap), jobDoc];
  const text = docs.map((doc) => doc.toString({ lineWidth: 0 })).join('---\n');
  fs.writeFileSync(file, text);
  return file;
}
