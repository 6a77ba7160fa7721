import * as path from 'node:path';
import type { StudySpec } from './studyFile';

export interface WrittenStudy {
  /** The report folder. */
  readonly dir: string;
  /** The claims table as Markdown (without the rules and reasons, which report.md has), for the terminal. */
  readonly table: string;
  /** Training wall time summed over the study's runs. */
  readonly runWallMs: number;
}

/**
 * Judges a study's runs claim by claim and writes report.md, report.json and report.html into
 * <out>/report. Loaded only when a study has run: the analysis package and its chart libraries
 * are not paid for by `train`.
 */
export async function writeStudy(o: {
  study: StudySpec;
  out: string;
  commandLine: string;
  wallMs: number;
  versions: Readonly<Record<string, string>>;
  warn: (message: string) => void;
}): Promise<WrittenStudy> {
  const A = await import('@grokscope/analysis');
  const runs = A.findRunDirs([o.out], { warn: o.warn }).map(A.readRun);
  for (const r of runs) for (const w of r.warnings) o.warn(w);
  const analysis = A.analyzeRuns(runs);
  const claims = A.evaluateClaims(runs, o.study.roles);
  const dir = path.join(o.out, 'report');
  const runWallMs = runs.reduce((sum, r) => sum + ((r.summary as { wallMs?: number } | null)?.wallMs ?? 0), 0);
  await A.writeStudyReport(
    {
      claims,
      analysis,
      runs,
      roles: o.study.roles,
      study: {
        name: o.study.name,
        scale: o.study.name,
        command: o.commandLine,
        configs: o.study.sweep,
        versions: o.versions,
        wallMs: o.wallMs,
        trainingMs: runWallMs,
      },
    },
    dir,
  );
  const markdown = A.renderClaimsMarkdown(claims);
  const table = markdown.split('\n\n')[0]!;
  return {
    dir,
    table: `${table}\n\nverdicts: ${claims.map((c) => `${c.id} ${c.verdict}`).join(', ')} — the rule behind each is in report.md`,
    runWallMs,
  };
}
