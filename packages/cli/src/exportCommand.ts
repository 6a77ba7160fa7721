import * as fs from 'node:fs';
import * as path from 'node:path';
import { findRunDirs, outputNames, readRun, runLabels } from '@grokscope/analysis';
import { ConfigError } from '@grokscope/core';
import { checkOutputDir } from './checkOutputDir';
import { jsonEvent } from './jsonEvent';
import { metricsCsv } from './metricsCsv';
import { eventFilePath, tensorboardEventFile } from './tensorboardEventFile';

export const EXPORT_FORMATS = ['csv', 'tensorboard'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** Run directories, or folders of them. */
  readonly dirs: readonly string[];
  readonly format: ExportFormat;
  readonly out: string;
  readonly json?: boolean;
}

/**
 * `grokscope export`: runs' metrics where other tools read them, one output per run, named by
 * the run's label (its folder name, or as much of its path as tells it apart, as in reports):
 * - csv: OUT/<run>.csv, one row per evaluation record (`metricsCsv`);
 * - tensorboard: OUT/<run>/events.out.tfevents.*, so `tensorboard --logdir OUT` lists each run
 *   beside the others, every metric tag as a scalar chart against step.
 * Runs are only read; exporting a run that is still training gives what it has logged so far.
 */
export async function exportCommand(o: ExportOptions): Promise<number> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(o.format))
    throw new ConfigError('--format', `got "${o.format}"; choose ${EXPORT_FORMATS.join(' or ')}`);
  checkOutputDir(o.out, '--out');
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  const dirs = findRunDirs(o.dirs, { warn });
  if (dirs.length === 0)
    throw new ConfigError('DIR', `no run directories (with manifest.json) under ${o.dirs.join(', ')}`);
  const runs = dirs.map(readRun);
  for (const r of runs) for (const w of r.warnings) warn(w);
  const labels = runLabels(dirs);
  const names = outputNames(labels.map((label, i) => ({ label, dir: dirs[i]! })));
  fs.mkdirSync(o.out, { recursive: true });
  const written: string[] = [];
  runs.forEach((run, i) => {
    let file: string;
    if (o.format === 'csv') {
      file = path.join(o.out, `${names[i]}.csv`);
      fs.writeFileSync(file, metricsCsv(run.records));
    } else {
      // Wall times from the run's start (manifest createdAt) plus each record's wallMs.
      const created = Date.parse(String(run.manifest['createdAt'] ?? ''));
      const start = Number.isFinite(created)
        ? created / 1000
        : fs.statSync(path.join(run.dir, 'manifest.json')).mtimeMs / 1000;
      const dir = path.join(o.out, names[i]!);
      fs.mkdirSync(dir, { recursive: true });
      // One file per run, replaced on a second export (TensorBoard would read two as one run twice over).
      for (const old of fs.readdirSync(dir)) if (old.startsWith('events.out.tfevents.')) fs.rmSync(path.join(dir, old));
      file = eventFilePath(dir, start);
      fs.writeFileSync(
        file,
        tensorboardEventFile(
          run.records.map((r) => ({ step: r.step, wallTime: start + r.wallMs / 1000, values: r.metrics })),
          start,
        ),
      );
    }
    written.push(file);
    if (o.json)
      process.stdout.write(
        jsonEvent('exported', { run: run.dir, name: labels[i], format: o.format, file, records: run.records.length }) +
          '\n',
      );
  });
  if (!o.json) {
    process.stdout.write(
      `exported ${runs.length} run${runs.length === 1 ? '' : 's'} as ${o.format} to ${path.resolve(o.out)}\n`,
    );
    if (o.format === 'tensorboard') process.stdout.write(`view with: tensorboard --logdir ${path.resolve(o.out)}\n`);
  }
  return 0;
}
