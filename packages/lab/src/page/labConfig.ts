import { DEFAULT_BACKEND, DEFAULT_THRESHOLDS, PRESETS } from '@grokscope/core/facts';

/** What the lab's controls set; every other field of a run's config is the quick preset's. */
export interface LabControls {
  readonly op: string;
  readonly modulus: number;
  readonly trainFraction: number;
  readonly split: string;
  /** The Transformer's width; heads and the MLP's width follow the quick preset's proportions. */
  readonly dModel: number;
  readonly seed: number;
  readonly steps: number;
  readonly evalEvery: number;
  /** End the run this many steps after it groks; null: run to `steps`. */
  readonly stopAfterGrokked: number | null;
  /** The entropy floor h (the intervention on); null: off. */
  readonly entropyFloor: number | null;
  /** The norm-matched control on: follows the norm of the page's latest entropy-floor run. */
  readonly normMatched: boolean;
}

interface QuickPreset {
  task: { kind: string; op: string; modulus: number; trainFraction: number; split: string };
  model: { kind: string; dModel: number; heads: number; dMlp: number };
  optimizer: Record<string, unknown>;
  train: { steps: number; evalEvery: number; stopAfterGrokked?: number };
  probes: string[];
}

/** The quick preset (`grokscope train --preset quick`): the lab starts from what the CLI's quick run trains. */
export const QUICK = PRESETS['quick'] as unknown as QuickPreset;

export function defaultControls(): LabControls {
  return {
    op: QUICK.task.op,
    modulus: QUICK.task.modulus,
    trainFraction: QUICK.task.trainFraction,
    split: QUICK.task.split,
    dModel: QUICK.model.dModel,
    seed: 0,
    steps: QUICK.train.steps,
    evalEvery: QUICK.train.evalEvery,
    stopAfterGrokked: QUICK.train.stopAfterGrokked ?? null,
    entropyFloor: null,
    normMatched: false,
  };
}

/** The condition a run belongs to, as a study names it (analysis groups runs by it). */
export function conditionOf(c: LabControls): string {
  if (c.normMatched) return 'norm-matched';
  if (c.entropyFloor !== null) return 'entropy-floor';
  return 'baseline';
}

/**
 * The run's config, complete and in the CLI's shape: `grokscope train --config` trains the same
 * run from it, and it is what manifest.json records. `reference` names the norm-matched run's
 * reference (the entropy-floor run it follows).
 */
export function labConfig(c: LabControls, reference?: string): Record<string, unknown> {
  const interventions: unknown[] = [];
  if (c.entropyFloor !== null) interventions.push({ name: 'entropy-floor', options: { floor: c.entropyFloor } });
  if (c.normMatched) interventions.push({ name: 'norm-matched', options: { reference: reference ?? '' } });
  const ratio = QUICK.model.dMlp / QUICK.model.dModel;
  return {
    name: 'lab',
    condition: conditionOf(c),
    seed: c.seed,
    backend: DEFAULT_BACKEND,
    task: { kind: QUICK.task.kind, modulus: c.modulus, op: c.op, trainFraction: c.trainFraction, split: c.split },
    model: { kind: QUICK.model.kind, dModel: c.dModel, heads: QUICK.model.heads, dMlp: c.dModel * ratio },
    optimizer: { ...QUICK.optimizer },
    train: {
      steps: c.steps,
      evalEvery: c.evalEvery,
      batchSize: null,
      ...(c.stopAfterGrokked !== null ? { stopAfterGrokked: c.stopAfterGrokked } : {}),
    },
    probes: [...QUICK.probes],
    interventions,
    thresholds: { ...DEFAULT_THRESHOLDS },
  };
}
