/**
 * Presets are configs like any other: the CLI's `--preset` and the browser lab's defaults read
 * them from here (`@grokscope/core/facts`, no TensorFlow.js), so both train the same thing.
 * `quick` was chosen by measuring candidates on the wasm backend against the figures of
 * docs/science.md § The laptop configuration (bench/phenomenon.js prints them);
 * docs/science.md § Presets says what each preset shows.
 */

/** The study's optimiser: full-batch AdamW, lr 1e-3, betas (0.9, 0.98), decoupled decay 1.0. */
const STUDY_OPTIMIZER = { name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 };
const CYCLIC_PROBES = ['accuracy', 'spectral-entropy', 'norms', 'fourier'];
const PAPER_MODEL = { kind: 'transformer', dModel: 128, heads: 4, dMlp: 512 };
/**
 * The paper-scale presets cut each batch in two, so a lone run uses both cores of a laptop; the
 * quick preset keeps one shard, the configuration its recorded runs and study were measured on.
 * A shard count is part of the run: the same run on 1 or 2 workers is bitwise the same.
 */
const PAPER_SHARDS = 2;
// The paper's modulus with half the pairs, split by unordered pairs: with 97 classes in a 64-wide
// residual stream H̃ starts high (≈ 0.88 at memorisation) and collapses to ≈ 0.6 at the jump, the
// paper's signal; smaller moduli start near the threshold (docs/science.md § The laptop configuration).
const QUICK_TASK = { kind: 'cyclic', modulus: 97, op: 'add', trainFraction: 0.5, split: 'unordered' };

export const PRESETS: Readonly<Record<string, Record<string, unknown>>> = Object.freeze({
  paper: {
    name: 'paper',
    task: { kind: 'cyclic', modulus: 97, op: 'add', trainFraction: 0.3 },
    model: PAPER_MODEL,
    optimizer: STUDY_OPTIMIZER,
    // PyTorch runs of this config grok near 9,000 steps: stop 2,000 after (H̃ has settled), not at the cap.
    // Two shards: a step on two workers takes 0.7× the one-shard step (docs/throughput.md § Every core on one run).
    train: { steps: 40000, evalEvery: 100, stopAfterGrokked: 2000, shards: PAPER_SHARDS },
    probes: CYCLIC_PROBES,
  },
  quick: {
    name: 'quick',
    task: QUICK_TASK,
    model: { kind: 'transformer', dModel: 64, heads: 4, dMlp: 256 },
    // lr 5e-3, five times the paper's: the same plateau and collapse in a sixth of the steps
    // (grokking at 950–1,950 in seeds 0–4 instead of 7,400 at 1e-3; docs/science.md § The laptop
    // configuration). Stops 300 steps after grokking, so the picture shows H̃ settle.
    optimizer: { ...STUDY_OPTIMIZER, lr: 5e-3 },
    train: { steps: 3000, evalEvery: 50, stopAfterGrokked: 300 },
    probes: CYCLIC_PROBES,
  },
  // Train fraction 0.7, not the 0.6 reported elsewhere: at 0.6 seed 0 was still at test accuracy
  // 0.016 after 2,800 steps (about 0.8 s a step here); at 0.7 it grokked at 4,000 (docs/science.md §
  // Non-abelian groups).
  s5: {
    name: 's5',
    task: { kind: 'symmetric', n: 5, trainFraction: 0.7 },
    model: PAPER_MODEL,
    optimizer: STUDY_OPTIMIZER,
    train: { steps: 40000, evalEvery: 100, stopAfterGrokked: 2000, shards: PAPER_SHARDS },
    // irreps: the Fourier probe's analogue for S5, read by C8 for non-abelian runs.
    probes: ['accuracy', 'spectral-entropy', 'norms', 'irreps'],
  },
  mlp: {
    name: 'mlp',
    task: QUICK_TASK,
    model: { kind: 'mlp', dEmbed: 64, hidden: [256] },
    optimizer: STUDY_OPTIMIZER,
    train: { steps: 8000, evalEvery: 50 },
    probes: CYCLIC_PROBES,
  },
});

/**
 * What each preset shows and what it costs, as `grokscope train --help` lists it. Times: the
 * 2-core development machine, wasm backend; the measurements are in docs/science.md.
 */
export const PRESET_NOTES: Readonly<Record<string, string>> = Object.freeze({
  quick:
    'a+b mod 97 on half the unordered pairs, d_model 64, lr 5e-3, up to 3,000 steps, stopping 300 after it ' +
    "groks: it memorises by step ~100, H̃ falls from ≈ 0.88 through the paper's 0.61 and test accuracy jumps " +
    'at 950-2,750 (10 seeds). About 2 minutes.',
  paper:
    "the paper's setting: a+b mod 97, train fraction 0.3, d_model 128, up to 40,000 steps, stopping 2,000 " +
    'after it groks (PyTorch runs grok near 9,000); two shards, computed on every core (--workers). Seed 0 grokked ' +
    'at 8,100 after 17 min on two workers (7,800 after 19 min on one shard and one worker).',
  s5:
    "S5 composition (120 elements, train fraction 0.7) with the paper's model, two shards: the non-abelian " +
    'case. Hours: seed 0 memorised at 300 and grokked at 4,000 after 83 min (one shard, one worker).',
  mlp: "the quick task with an MLP instead of a Transformer (the paper's control), 8,000 steps.",
});
