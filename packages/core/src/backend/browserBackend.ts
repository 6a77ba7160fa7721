import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError, ConfigError } from '../errors';
import { registerWasmFixes } from './wasmFixes';

export interface BrowserBackendOptions {
  /**
   * Where the wasm backend's `.wasm` binaries are served from (a folder URL ending in `/`, or a
   * path relative to the page or worker): the page ships them beside itself, so no CDN is asked.
   */
  readonly wasmPaths?: string;
}

/**
 * Starts a backend in a page or a Web Worker: `wasm` (the CLI's default, with the same kernel
 * fixes, so the same numerics) or `cpu`. Node's `useBackend` adds threads and the native backend;
 * a browser without cross-origin isolation runs wasm on one thread.
 */
export async function useBrowserBackend(name: string, options: BrowserBackendOptions = {}): Promise<string> {
  if (name === 'wasm') {
    if (options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths);
    registerWasmFixes();
  } else if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    throw new ConfigError('backend', `unknown backend "${name}" in the browser; choose wasm or cpu`);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendUnavailableError(`the ${name} backend failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}
