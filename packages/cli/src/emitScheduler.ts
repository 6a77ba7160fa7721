import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';

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

/** A YAML single-quoted scalar: only ' is special there (doubled), so a command's ", $ and : stay as written. */
const yamlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Writes a scheduler job, next to the sweep file, that runs a sweep as `shards` independent
 * shards against one shared results folder. Shard k runs `grokscope sweep FILE --shard k/n`:
 * - Slurm: an array job (`#SBATCH --array=0-(n-1)`), shard = `$SLURM_ARRAY_TASK_ID`, results
 *   in the sweep's `out` (which must be on a filesystem every node sees); grokscope is
 *   `job.command`, or `$GROKSCOPE` at submission time;
 * - Kubernetes: an Indexed Job (`completionMode: Indexed`), shard = `$JOB_COMPLETION_INDEX`,
 *   results on a PersistentVolumeClaim mounted at /results (`--out /results`), the sweep file
 *   from a ConfigMap, grokscope from `job.image`.
 * Re-submitting is safe: finished runs are skipped, interrupted ones resume.
 */
export function emitScheduler(kind: 'slurm' | 'k8s', sweepFile: string, resultsDir: string, shards: number, job: JobCommand = {}): string {
  if (job.command !== undefined && job.command.trim() === '')
    throw new ConfigError('--command', 'is empty; give the command that starts grokscope on a node, e.g. "node /shared/grokscope/packages/cli/dist/bin.js"');
  if (job.image !== undefined && kind !== 'k8s') {
    throw new ConfigError('--image', `applies to --emit k8s only; for Slurm give --command, e.g. --command "apptainer exec grokscope.sif grokscope"`);
  }
  if (job.image !== undefined && !/^[^\s"]+$/.test(job.image))
    throw new ConfigError('--image', `"${job.image}" is not an image reference (no spaces or quotes), e.g. registry.example.org/grokscope:0.1.0`);
  refuseLineBreaks('FILE', sweepFile, 'the sweep file path');
  refuseLineBreaks('out', resultsDir, 'the results folder');
  refuseLineBreaks('--command', job.command ?? '', 'the command');
  const base = path.basename(sweepFile).replace(/\.(json|ya?ml)$/i, '');
  const dir = path.dirname(sweepFile);
  const name = `grokscope-${
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'sweep'
  }`.slice(0, 52);
  if (kind === 'slurm') {
    const file = path.join(dir, `${base}.slurm.sh`);
    const command = job.command ?? defaultSlurmCommand();
    fs.writeFileSync(
      file,
      `#!/bin/bash
# Slurm array job: task k runs shard k of ${shards} of ${sweepFile}.
# Submit with: sbatch ${file}
# Results go to the shared folder ${resultsDir}; re-submitting skips finished runs and resumes the others.
# grokscope is started as: ${command}
#   (set GROKSCOPE at submission to change it, e.g. GROKSCOPE="npx --yes @grokscope/cli@${cliVersion()}" sbatch ${file};
#    the default needs node ≥ 20.19 on the nodes' PATH, e.g. after \`module load nodejs\`)
#SBATCH --job-name=${name}
#SBATCH --array=0-${shards - 1}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --time=24:00:00
#SBATCH --output=${resultsDir}/logs/slurm-%A_%a.out
set -euo pipefail
mkdir -p "${dq(resultsDir)}/logs"
GROKSCOPE="\${GROKSCOPE:-${dq(command)}}"
# A function, so GROKSCOPE may hold several words (and quoted paths) while the arguments keep theirs.
grokscope() { eval "$GROKSCOPE \\"\\$@\\""; }
grokscope sweep "${dq(sweepFile)}" --out "${dq(resultsDir)}" --shard "\${SLURM_ARRAY_TASK_ID}/${shards}" --workers "\${SLURM_CPUS_PER_TASK:-1}"
`,
      { mode: 0o755 },
    );
    return file;
  }
  const file = path.join(dir, `${base}.k8s.yaml`);
  const image = job.image ?? DEFAULT_IMAGE;
  const command = job.command ?? 'grokscope';
  fs.writeFileSync(
    file,
    `# Kubernetes Indexed Job: pod k runs shard k of ${shards} of ${path.basename(sweepFile)}; every pod writes
# to the shared PersistentVolumeClaim "${name}-results" (ReadWriteMany), mounted at ${K8S_RESULTS_DIR}.
#   kubectl create configmap ${name} --from-file=sweep${path.extname(sweepFile) || '.yaml'}=${sweepFile}
#   kubectl apply -f ${file}
# A pod that fails is retried; finished runs are skipped and interrupted ones resume.
# Config files or probe modules the sweep names by path must be in the image or the ConfigMap.
# The image ${image} runs \`${command}\`; the default is the repository's Dockerfile:
#   docker build -t ${image} . && docker push ${image}   (retag for your registry; docs/cluster.md)
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}-results
spec:
  accessModes: [ReadWriteMany]
  resources:
    requests:
      storage: 10Gi
---
apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  completionMode: Indexed
  completions: ${shards}
  parallelism: ${shards}
  backoffLimit: ${shards * 3}
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: grokscope
          image: ${image}
          command: ["sh", "-c"]
          args:
            - ${yamlString(`${command} sweep /config/sweep${path.extname(sweepFile) || '.yaml'} --out ${K8S_RESULTS_DIR} --shard "$JOB_COMPLETION_INDEX/${shards}" --workers 2`)}
          resources:
            requests:
              cpu: "2"
              memory: 4Gi
          volumeMounts:
            - name: results
              mountPath: ${K8S_RESULTS_DIR}
            - name: sweep
              mountPath: /config
      volumes:
        - name: results
          persistentVolumeClaim:
            claimName: ${name}-results
        - name: sweep
          configMap:
            name: ${name}
`,
  );
  return file;
}
