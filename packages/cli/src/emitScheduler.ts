import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a scheduler job that runs a sweep as `shards` independent shards against a shared
 * results folder: a Slurm array job (`$SLURM_ARRAY_TASK_ID` is the shard) or a Kubernetes
 * Indexed Job (`$JOB_COMPLETION_INDEX` is the shard; the results folder is a PVC).
 */
export function emitScheduler(kind: 'slurm' | 'k8s', sweepFile: string, resultsDir: string, shards: number): string {
  const base = path.basename(sweepFile).replace(/\.(json|ya?ml)$/i, '');
  const dir = path.dirname(sweepFile);
  if (kind === 'slurm') {
    const file = path.join(dir, `${base}.slurm.sh`);
    fs.writeFileSync(
      file,
      `#!/bin/bash
#SBATCH --job-name=grokscope-${base}
#SBATCH --array=0-${shards - 1}
#SBATCH --cpus-per-task=2
#SBATCH --time=24:00:00
#SBATCH --output=${resultsDir}/slurm-%A_%a.out
# Each array task runs one shard of the sweep; runs land in the shared folder ${resultsDir}.
# Re-submitting resumes interrupted runs and skips completed ones.
set -euo pipefail
mkdir -p "${resultsDir}"
npx grokscope sweep "${sweepFile}" --shard "\${SLURM_ARRAY_TASK_ID}/${shards}" --workers "\${SLURM_CPUS_PER_TASK:-1}"
`,
      { mode: 0o755 },
    );
    return file;
  }
  const file = path.join(dir, `${base}.k8s.yaml`);
  fs.writeFileSync(
    file,
    `# A Kubernetes Indexed Job: pod k runs shard k of ${shards}; results go to a shared PVC.
# Create the ConfigMap first: kubectl create configmap grokscope-${base} --from-file=sweep.yaml=${path.basename(sweepFile)}
apiVersion: batch/v1
kind: Job
metadata:
  name: grokscope-${base}
spec:
  completionMode: Indexed
  completions: ${shards}
  parallelism: ${shards}
  backoffLimit: ${shards * 2}
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: grokscope
          image: node:20
          workingDir: /work
          command: ["sh", "-c"]
          args:
            - npx -y @grokscope/cli sweep /config/sweep.yaml --shard "$JOB_COMPLETION_INDEX/${shards}" --workers 2
          resources:
            requests: { cpu: "2", memory: 4Gi }
          volumeMounts:
            - { name: results, mountPath: ${resultsDir} }
            - { name: sweep, mountPath: /config }
      volumes:
        - name: results
          persistentVolumeClaim: { claimName: grokscope-results }
        - name: sweep
          configMap: { name: grokscope-${base} }
`,
  );
  return file;
}
