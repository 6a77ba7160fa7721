import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the results volume is mounted in a Kubernetes pod; the sweep's `out` is replaced by it. */
export const K8S_RESULTS_DIR = '/results';

function cliVersion(): string {
  try {
    return (require('../package.json') as { version: string }).version;
  } catch {
    return 'latest';
  }
}

/**
 * Writes a scheduler job, next to the sweep file, that runs a sweep as `shards` independent
 * shards against one shared results folder. Shard k runs `grokscope sweep FILE --shard k/n`:
 * - Slurm: an array job (`#SBATCH --array=0-(n-1)`), shard = `$SLURM_ARRAY_TASK_ID`, results
 *   in the sweep's `out` (which must be on a filesystem every node sees);
 * - Kubernetes: an Indexed Job (`completionMode: Indexed`), shard = `$JOB_COMPLETION_INDEX`,
 *   results on a PersistentVolumeClaim mounted at /results (`--out /results`), the sweep file
 *   from a ConfigMap.
 * Re-submitting is safe: finished runs are skipped, interrupted ones resume.
 */
export function emitScheduler(kind: 'slurm' | 'k8s', sweepFile: string, resultsDir: string, shards: number): string {
  const base = path.basename(sweepFile).replace(/\.(json|ya?ml)$/i, '');
  const dir = path.dirname(sweepFile);
  const job = `grokscope-${base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'sweep'}`.slice(0, 52);
  if (kind === 'slurm') {
    const file = path.join(dir, `${base}.slurm.sh`);
    fs.writeFileSync(
      file,
      `#!/bin/bash
# Slurm array job: task k runs shard k of ${shards} of ${sweepFile}.
# Submit with: sbatch ${file}
# Results go to the shared folder ${resultsDir}; re-submitting skips finished runs and resumes the others.
#SBATCH --job-name=${job}
#SBATCH --array=0-${shards - 1}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --time=24:00:00
#SBATCH --output=${resultsDir}/logs/slurm-%A_%a.out
set -euo pipefail
mkdir -p "${resultsDir}/logs"
GROKSCOPE="\${GROKSCOPE:-npx --yes @grokscope/cli@${cliVersion()}}"
$GROKSCOPE sweep "${sweepFile}" --out "${resultsDir}" --shard "\${SLURM_ARRAY_TASK_ID}/${shards}" --workers "\${SLURM_CPUS_PER_TASK:-1}"
`,
      { mode: 0o755 },
    );
    return file;
  }
  const file = path.join(dir, `${base}.k8s.yaml`);
  fs.writeFileSync(
    file,
    `# Kubernetes Indexed Job: pod k runs shard k of ${shards} of ${path.basename(sweepFile)}; every pod writes
# to the shared PersistentVolumeClaim "${job}-results" (ReadWriteMany), mounted at ${K8S_RESULTS_DIR}.
#   kubectl create configmap ${job} --from-file=sweep${path.extname(sweepFile) || '.yaml'}=${sweepFile}
#   kubectl apply -f ${file}
# A pod that fails is retried; finished runs are skipped and interrupted ones resume.
# Config files or probe modules the sweep names by path must be in the image or the ConfigMap.
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${job}-results
spec:
  accessModes: [ReadWriteMany]
  resources:
    requests:
      storage: 10Gi
---
apiVersion: batch/v1
kind: Job
metadata:
  name: ${job}
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
          image: node:20
          command: ["sh", "-c"]
          args:
            - npx --yes @grokscope/cli@${cliVersion()} sweep /config/sweep${path.extname(sweepFile) || '.yaml'} --out ${K8S_RESULTS_DIR} --shard "$JOB_COMPLETION_INDEX/${shards}" --workers 2
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
            claimName: ${job}-results
        - name: sweep
          configMap:
            name: ${job}
`,
  );
  return file;
}
