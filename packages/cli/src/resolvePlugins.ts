import { ConfigError, type Plugin } from '@grokscope/core';
import { createBuiltinPlugin } from '@grokscope/probes';
import type { PluginRef } from './configSchema';
import { loadExport } from './loadExport';

/**
 * Plugins from config entries: a built-in name (`'spectral-entropy'`), `{ name, options }`, or
 * `{ module, export?, options }` naming a file or package whose export is a factory
 * `(options) => Plugin` (or a Plugin itself). Relative module paths resolve from `baseDir`.
 */
export function resolvePlugins(refs: readonly PluginRef[], field: string, baseDir: string): Plugin[] {
  return refs.map((ref, i) => {
    const where = `${field}[${i}]`;
    if (typeof ref === 'string') return builtin(ref, {}, where);
    if (ref.module) return fromModule(ref.module, ref.export ?? 'default', ref.options ?? {}, where, baseDir);
    if (ref.name) return builtin(ref.name, ref.options ?? {}, where);
    throw new ConfigError(where, 'give a built-in plugin name, or { module: "./my-probe.js" }');
  });
}

function builtin(name: string, options: Record<string, unknown>, where: string): Plugin {
  try {
    return createBuiltinPlugin(name, options, where);
  } catch (err) {
    // An option error already names its field (`interventions[0].options.lamda`).
    if (err instanceof ConfigError && err.field.startsWith(`${where}.`)) throw err;
    throw new ConfigError(
      where,
      err instanceof ConfigError && err.field === 'plugin'
        ? err.message.slice('plugin: '.length)
        : (err as Error).message,
    );
  }
}

function fromModule(
  spec: string,
  exportName: string,
  options: Record<string, unknown>,
  where: string,
  baseDir: string,
): Plugin {
  const exported = loadExport(spec, exportName, where, baseDir);
  const plugin = typeof exported === 'function' ? (exported as (o: object) => unknown)(options) : exported;
  if (!plugin || typeof (plugin as Plugin).apply !== 'function' || typeof (plugin as Plugin).name !== 'string') {
    throw new ConfigError(
      `${where}.export`,
      `"${spec}" export "${exportName}" is neither a Plugin ({ name, apply }) nor a factory returning one`,
    );
  }
  return plugin as Plugin;
}
