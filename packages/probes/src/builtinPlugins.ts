import { ConfigError, type Plugin } from '@grokscope/core';
import { accuracyProbe } from './accuracyProbe';
import { fourierProbe } from './fourierProbe';
import { entropyFloor } from './interventions/entropyFloor';
import { mixing } from './interventions/mixing';
import { normMatched } from './interventions/normMatched';
import { normsProbe } from './normsProbe';
import { spectralEntropyProbe } from './spectralEntropyProbe';

type Factory = (options: Record<string, unknown>) => Plugin;

/** Every probe and intervention by the name a config file uses. */
export const builtinPlugins: Readonly<Record<string, Factory>> = Object.freeze({
  accuracy: () => accuracyProbe(),
  'spectral-entropy': (o) => spectralEntropyProbe(o),
  norms: (o) => normsProbe(o),
  fourier: (o) => fourierProbe(o),
  'entropy-floor': (o) => entropyFloor(o),
  mixing: (o) => mixing(o),
  'norm-matched': (o) => normMatched(o as { reference: string }),
});

/** A built-in plugin by name, or a named error listing the ones there are. */
export function createBuiltinPlugin(name: string, options: Record<string, unknown> = {}): Plugin {
  const f = builtinPlugins[name];
  if (!f) throw new ConfigError('plugin', `unknown plugin "${name}"; built-in plugins are ${Object.keys(builtinPlugins).join(', ')} (or give a module path)`);
  return f(options);
}
