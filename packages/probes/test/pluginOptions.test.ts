/**
 * Built-in plugin options are checked against each plugin's declared schema when the plugin is
 * created, so a misspelt or mistyped option is a ConfigError naming the field as the config
 * spells it — not an option silently ignored.
 */
import { ConfigError } from '@grokscope/core';
import { z } from 'zod';
import { builtinPluginOptions, builtinPlugins, checkPluginOptions, createBuiltinPlugin } from '../src';

/** The ConfigError `f` throws (fails the test if it throws nothing or something else). */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

test('an unknown option names the field as the config spells it, suggests the near name and lists the allowed ones', () => {
  const err = configError(() => createBuiltinPlugin('entropy-floor', { lamda: 1 }, 'interventions[0]'));
  expect(err.field).toBe('interventions[0].options.lamda');
  expect(err.message).toBe(
    'interventions[0].options.lamda: unknown field; remove it or check the spelling (did you mean "lambda"?) (allowed here: lambda, floor, tap, eps)',
  );
  // No near name: no guess, just the list.
  expect(configError(() => createBuiltinPlugin('mixing', { strength: 0.5 }, 'interventions[1]')).message).toBe(
    'interventions[1].options.strength: unknown field; remove it or check the spelling (allowed here: alpha, tap, seed)',
  );
  expect(configError(() => createBuiltinPlugin('accuracy', { subset: 'test' }, 'probes[0]')).message).toMatch(
    /^probes\[0\]\.options\.subset: unknown option; "accuracy" takes no options/,
  );
});

test('a wrong type names the field, the value and the expected type; ranges and choices are checked', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['entropy-floor', { floor: 'high' }, 'interventions[0].options.floor: got "high"; expected a number'],
    ['entropy-floor', { floor: 1.5 }, 'interventions[0].options.floor: got 1.5; must be ≤ 1'],
    ['entropy-floor', { floor: 0 }, 'interventions[0].options.floor: got 0; must be > 0'],
    ['entropy-floor', { lambda: -1 }, 'interventions[0].options.lambda: got -1; must be ≥ 0'],
    [
      'entropy-floor',
      { eps: Infinity },
      'interventions[0].options.eps: got Infinity (a number too large to hold); expected a number',
    ],
    ['mixing', { alpha: 2 }, 'interventions[0].options.alpha: got 2; must be ≤ 1'],
    ['mixing', { tap: 3 }, 'interventions[0].options.tap: got 3; expected a string'],
    ['fourier', { topK: 2.5 }, 'interventions[0].options.topK: got 2.5; expected an integer'],
    [
      'spectral-entropy',
      { subset: 'val' },
      'interventions[0].options.subset: got "val"; allowed: "all", "train", "test"',
    ],
    ['spectral-entropy', { chunkRows: 0 }, 'interventions[0].options.chunkRows: got 0; must be ≥ 1'],
    [
      'norm-matched',
      {},
      'interventions[0].options.reference: got nothing (missing); expected a non-empty string (the path of a reference run directory or its metrics.jsonl)',
    ],
  ];
  for (const [name, options, message] of cases)
    expect(configError(() => createBuiltinPlugin(name, options, 'interventions[0]')).message).toBe(message);
});

test('every built-in plugin declares its options, and the options it declares are accepted', () => {
  expect(Object.keys(builtinPluginOptions).sort()).toEqual(Object.keys(builtinPlugins).sort());
  const valid: Record<string, Record<string, unknown>> = {
    accuracy: {},
    'spectral-entropy': { tap: 'resid_final', subset: 'test', tag: 'e2', chunkRows: 512 },
    norms: { tap: 'resid_final' },
    fourier: { topK: 3 },
    irreps: { topK: 2 },
    'entropy-floor': { lambda: 0.5, floor: 1, tap: 'resid_final', eps: 1e-6 },
    mixing: { alpha: 0, tap: 'resid_final', seed: 7 },
    'norm-matched': { reference: 'runs/ref' },
  };
  // Options that exclude one another (tap or taps) are given in a second, separate set.
  const others: Record<string, Record<string, unknown>> = { 'spectral-entropy': { taps: ['resid_final', 'embed'] } };
  for (const [name, options] of Object.entries(valid)) {
    const keys = [...Object.keys(options), ...Object.keys(others[name] ?? {})];
    expect(keys.sort()).toEqual(Object.keys(builtinPluginOptions[name]!.shape).sort());
    expect(createBuiltinPlugin(name, options, 'probes[0]').name).toMatch(new RegExp(`^${name}`));
    if (others[name]) expect(createBuiltinPlugin(name, others[name], 'probes[0]').name).toMatch(new RegExp(`^${name}`));
    if (name !== 'norm-matched') expect(() => createBuiltinPlugin(name, {}, 'probes[0]')).not.toThrow(); // defaults stay in the factories
  }
});

test('prototype names are neither plugins nor options', () => {
  expect(configError(() => createBuiltinPlugin('constructor')).message).toMatch(/unknown plugin "constructor"/);
  // JSON.parse makes `__proto__` an own key: it must not pass as an option.
  const options = JSON.parse('{"__proto__": {"lambda": 1}}') as Record<string, unknown>;
  expect(configError(() => createBuiltinPlugin('entropy-floor', options, 'interventions[0]')).field).toBe(
    'interventions[0].options.__proto__',
  );
  expect(
    configError(() =>
      checkPluginOptions('x', z.strictObject({ tap: z.string().optional() }), { constructor: 1 }, 'probes[2]'),
    ).field,
  ).toBe('probes[2].options.constructor');
});
