/**
 * Presets are configs like any other. `quick` was chosen from GROKKING-NOTES and verified on
 * the wasm backend (README § Quick preset has the observed events for seeds 0–2).
 */
export const PRESETS: Readonly<Record<string, Record<string, unknown>>> = Object.freeze({
  paper: {
    name: 'paper',
    task: { kind: 'cyclic', modulus: 97, op: 'add', trainFraction: 0.3 },
    model: { kind: 'transformer', dModel: 128, heads: 4, dMlp: 512 },
    optimizer: { name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
    train: { steps: 40000, evalEvery: 100 },
    probes: ['accuracy', 'spectral-entropy', 'norms', 'fourier'],
  },
  quick: {
    name: 'quick',
    task: { kind: 'cyclic', modulus: 31, op: 'add', trainFraction: 0.6 },
    model: { kind: 'transformer', dModel: 64, heads: 4, dMlp: 256 },
    optimizer: { name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
    train: { steps: 5000, evalEvery: 50 },
    probes: ['accuracy', 'spectral-entropy', 'norms', 'fourier'],
  },
  s5: {
    name: 's5',
    task: { kind: 'symmetric', n: 5, trainFraction: 0.6 },
    model: { kind: 'transformer', dModel: 128, heads: 4, dMlp: 512 },
    optimizer: { name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
    train: { steps: 40000, evalEvery: 100 },
    probes: ['accuracy', 'spectral-entropy', 'norms'],
  },
  mlp: {
    name: 'mlp',
    task: { kind: 'cyclic', modulus: 31, op: 'add', trainFraction: 0.6 },
    model: { kind: 'mlp', dEmbed: 64, hidden: [256] },
    optimizer: { name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
    train: { steps: 8000, evalEvery: 50 },
    probes: ['accuracy', 'spectral-entropy', 'norms', 'fourier'],
  },
});
