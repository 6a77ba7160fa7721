import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, ConfigError } from '../errors';
import { registerWasmFixes } from './wasmFixes';

export const BACKENDS = ['wasm', 'cpu', 'tensorflow'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The native packages tried, in order, for the `tensorflow` backend. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Selects and initialises a TensorFlow.js backend by name: `wasm` (embedded default, SIMD,
 * offline), `cpu` (pure JS, tiny tests only), `tensorflow` (native libtensorflow through an
 * optional peer). Returns the backend name TensorFlow.js reports.
 */
export async function useBackend(name: string = 'wasm', load: (id: string) => unknown = require): Promise<BackendName> {
  if (!(BACKENDS as readonly string[]).includes(name)) {
    throw new ConfigError('backend', `unknown backend "${name}"; choose one of ${BACKENDS.join(', ')}`);
  }
  const backend = name as BackendName;
  if (backend === 'wasm') {
    load('@tensorflow/tfjs-backend-wasm');
    registerWasmFixes();
  } else if (backend === 'cpu') {
    load('@tensorflow/tfjs-backend-cpu');
  } else {
    loadNative(load);
  }
  const registered = backend === 'tensorflow' ? 'tensorflow' : backend;
  const ok = await tf.setBackend(registered);
  if (!ok) throw new BackendUnavailableError(`the ${backend} backend failed to initialise`);
  await tf.ready();
  return backend;
}

function loadNative(load: (id: string) => unknown): void {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      load(pkg);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'MODULE_NOT_FOUND') {
        throw new BackendUnavailableError(`${pkg} is installed but failed to load: ${(err as Error).message}`, { cause: err });
      }
      failures.push(pkg);
    }
  }
  throw new BackendUnavailableError(
    `the "tensorflow" backend needs ${failures.join(' or ')} (native libtensorflow). ` +
      `Install one with \`npm install @tensorflow/tfjs-node@${tf.version_core}\` ` +
      `(or @tensorflow/tfjs-node-gpu@${tf.version_core} with CUDA), or use --backend wasm.`,
  );
}
