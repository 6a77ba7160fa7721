import { ConfigError, type Plugin } from '@grokscope/core';
import { accuracyOptions, accuracyProbe } from './accuracyProbe';
import { fourierOptions, fourierProbe } from './fourierProbe';
import { entropyFloor, entropyFloorOptions } from './interventions/entropyFloor';
import { mixing, mixingOptions } from './interventions/mixing';
import { normMatched, normMatchedOptions } from './interventions/normMatched';
import { irrepsOptions, irrepsProbe } from './irrepsProbe';
import { normsOptions, normsProbe } from './normsProbe';
import { checkPluginOptions, type OptionSchema } from './pluginOptions';
import { spectralEntropyOptions, spectralEntropyProbe } from './spectralEntropyProbe';
import { runEvents, runEventsOptions } from './runEvents';
import { stopAfterGrokked, stopAfterGrokkedOptions } from './stopAfterGrokked';

type Factory = (options: Record<string, unknown>) => Plugin;

/** Every probe and intervention by the name a config file uses (options unchecked: see `createBuiltinPlugin`). */
export const builtinPlugins: Readonly<Record<string, Factory>> = Object.freeze({
  accuracy: () => accuracyProbe(),
  'spectral-entropy': (o) => spectralEntropyProbe(o),
  norms: (o) => normsProbe(o),
  fourier: (o) => fourierProbe(o),
  irreps: (o) => irrepsProbe(o),
  'entropy-floor': (o) => entropyFloor(o),
  mixing: (o) => mixing(o),
  'norm-matched': (o) => normMatched(o as { reference: string }),
  'stop-after-grokked': (o) => stopAfterGrokked(o as { after: number; threshold?: number }),
  'run-events': (o) => runEvents(o),
});

/** The options each built-in plugin accepts, by the same names. */
export const builtinPluginOptions: Readonly<Record<string, OptionSchema>> = Object.freeze({
  accuracy: accuracyOptions,
  'spectral-entropy': spectralEntropyOptions,
  norms: normsOptions,
  fourier: fourierOptions,
  irreps: irrepsOptions,
  'entropy-floor': entropyFloorOptions,
  mixing: mixingOptions,
  'norm-matched': normMatchedOptions,
  'stop-after-grokked': stopAfterGrokkedOptions,
  'run-events': runEventsOptions,
});

/**
 * A built-in plugin by name, with its options checked against its schema, or a named error
 * listing the plugins there are. `where` is the entry as the config spells it
 * (`interventions[0]`), so an option error names `interventions[0].options.lamda`.
 */
export function createBuiltinPlugin(name: string, options: Record<string, unknown> = {}, where: string = name): Plugin {
  const f = Object.hasOwn(builtinPlugins, name) ? builtinPlugins[name] : undefined;
  if (!f)
    throw new ConfigError(
      'plugin',
      `unknown plugin "${name}"; built-in plugins are ${Object.keys(builtinPlugins).join(', ')} (or give a module path)`,
    );
  checkPluginOptions(name, builtinPluginOptions[name]!, options, where);
  return f(options);
}
