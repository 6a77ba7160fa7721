import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '@grokscope/core/internal';
import { packageVersions } from './buildTrainer';
import { checkOutputDir } from './checkOutputDir';
import { defaultJobName } from './emitScheduler';
import { formatSeconds } from './progressReporter';
import { builtinStudy, readStudy, studySweep } from './studyFile';
import { sweepCommand, type SweepOptions } from './sweepCommand';
import { EXIT } from './trainCommand';

/** What `reproduce` passes on to the sweep it runs: workers, threads, shards and cluster jobs, as `sweep` takes them. */
export type RunnerOptions = Pick<
  SweepOptions,
  | 'workers'
  | 'threads'
  | 'shard'
  | 'emit'
  | 'shards'
  | 'command'
  | 'image'
  | 'jobName'
  | 'time'
  | 'cpusPerTask'
  | 'mem'
  | 'storageClass'
>;

export interface ReproduceOptions extends RunnerOptions {
  /** A study shipped with the CLI (`quick`, `paper`); default quick. */
  readonly scale?: string;
  /** A study file of one's own instead (docs/reproduce.md). */
  readonly study?: string;
  /** Seeds 0..n−1 instead of the study's list. */
  readonly seeds?: number;
  /** The study folder (default runs/study-<name>): runs, logs, and report/. */
  readonly out?: string;
  readonly quiet?: boolean;
  /** The command as typed, recorded in report.json so the report can be re-made. */
  readonly commandLine: string;
}

/**
 * `grokscope reproduce`: runs a study — every condition × seed, through the sweep machinery, so
 * it resumes, skips finished runs, shards and emits cluster jobs like any sweep — then judges
 * each claim of the paper by the rules fixed in the analysis package and writes report.md,
 * report.json and a self-contained report.html into <out>/report.
 */
export async function reproduceCommand(o: ReproduceOptions): Promise<number> {
  const study = readStudy(o.study ?? builtinStudy(o.scale ?? 'quick'));
  const out = path.resolve(o.out ?? path.join('runs', `study-${study.name}`));
  checkOutputDir(out, '--out');
  fs.mkdirSync(out, { recursive: true });
  const sweepFile = path.join(out, 'study.sweep.json');
  writeFileAtomic(sweepFile, JSON.stringify(studySweep(study, out, o.seeds), null, 2) + '\n');
  const say = (s: string) => {
    if (!o.quiet) process.stdout.write(s + '\n');
  };
  say(`study ${study.name}${study.description ? ` — ${study.description}` : ''}`);
  const t0 = performance.now();
  const { scale: _scale, study: _study, seeds, out: _out, quiet, commandLine, ...runner } = o;
  const code = await sweepCommand({
    ...runner,
    file: sweepFile,
    jobName: o.jobName ?? (o.emit ? defaultJobName(study.name) : undefined),
    // The Slurm report job: this study again, every run finished by then, so only its report is written.
    report: [
      'reproduce',
      '--study',
      study.file,
      '--out',
      out,
      ...(seeds !== undefined ? ['--seeds', String(seeds)] : []),
      '--quiet',
    ],
    quiet,
  });
  if (o.emit) return code;
  if (o.shard !== undefined) {
    say(
      `shard ${o.shard} done; when every shard has finished, run the same command without --shard to write the report`,
    );
    return code;
  }
  if (code === EXIT.interrupted) return code;
  const wallMs = performance.now() - t0;
  const { writeStudy } = await import('./writeStudy');
  const report = await writeStudy({
    study,
    out,
    commandLine,
    wallMs,
    versions: packageVersions(),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
  });
  process.stdout.write(`\n${report.table}\n`);
  say(
    `report written to ${report.dir} (report.md, report.json, report.html); this invocation took ${formatSeconds(wallMs / 1000)}, the runs ${formatSeconds(report.runWallMs / 1000)} of training in all`,
  );
  // A study with unfinished or failed runs still gets its report (they are listed there), but the exit says so.
  return code;
}
