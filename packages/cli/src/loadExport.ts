import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';

/**
 * The export `exportName` (`default`: the default export, or the module itself) of the file or
 * package `spec`, as a config entry `{ module, export? }` names it. A relative path resolves from
 * `baseDir` (the config file's folder). `where` is the entry as the config spells it
 * (`probes[1]`, `task`), so a module that does not load is an error naming `<where>.module`.
 */
export function loadExport(spec: string, exportName: string, where: string, baseDir: string): unknown {
  const id = spec.startsWith('.') || path.isAbsolute(spec) ? path.resolve(baseDir, spec) : spec;
  let mod: Record<string, unknown>;
  try {
    mod = require(require.resolve(id, { paths: [baseDir, process.cwd()] })) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(
      `${where}.module`,
      `cannot load "${spec}": ${(err as Error).message.split('\n')[0]}; check the path (relative paths start with ./ and resolve from the config file's folder) or install the package`,
    );
  }
  const exported = exportName === 'default' ? (mod['default'] ?? mod) : mod[exportName];
  if (exported === undefined) {
    const names = Object.keys(mod).filter((k) => k !== '__esModule');
    throw new ConfigError(
      `${where}.export`,
      `"${spec}" has no export "${exportName}"; its exports: ${names.join(', ') || '(none)'}`,
    );
  }
  return exported;
}
