import { z } from 'zod';
import {
  ConfigError,
  didYouMean,
  editDistance,
  isKindDescriptor,
  KindRegistry,
  largestInteger,
  parseConfig,
} from '../src';

const circle = {
  kind: 'circle',
  schema: z.strictObject({ kind: z.literal('circle'), radius: z.number().positive().default(1) }),
};

test('editDistance and didYouMean: the field a typo most likely meant, none for a far or short word', () => {
  expect(editDistance('modulo', 'modulus')).toBe(2);
  expect(editDistance('', 'abc')).toBe(3);
  expect(didYouMean('modulo', ['kind', 'modulus', 'op'])).toBe('modulus');
  expect(didYouMean('OP', ['kind', 'op'])).toBe('op');
  expect(didYouMean('x', ['n'])).toBeUndefined();
  expect(didYouMean('colour', ['kind', 'modulus'])).toBeUndefined();
});

test('parseConfig fills defaults, or throws a ConfigError naming the field, the value, what is allowed and the likely field', () => {
  expect(parseConfig(circle.schema, { kind: 'circle' }, 'shape')).toEqual({ kind: 'circle', radius: 1 });
  const error = (input: unknown) => {
    try {
      parseConfig(circle.schema, input, 'model.options');
    } catch (e) {
      return e as ConfigError;
    }
    throw new Error('parsed');
  };
  expect(error({ kind: 'circle', radius: -1 })).toMatchObject({
    field: 'model.options.radius',
    message: 'model.options.radius: got -1; must be > 0',
  });
  expect(error({ kind: 'circle', radis: 2 }).message).toBe(
    'model.options.radis: unknown field; remove it or check the spelling (did you mean "radius"?) (allowed here: kind, radius)',
  );
  expect(error({ kind: 'circle', radius: 'big' }).message).toBe('model.options.radius: got "big"; expected a number');
});

test('a KindRegistry finds kinds by name, refuses a second kind under a taken name and suggests the name meant', () => {
  const shapes = new KindRegistry<typeof circle>('shape');
  expect(shapes.register(circle)).toBe(circle);
  expect(shapes.register(circle)).toBe(circle); // the same descriptor again: a no-op
  expect(() => shapes.register({ ...circle })).toThrow(/^shape\.kind: "circle" is already a shape kind/);
  expect(shapes.get('circle')).toBe(circle);
  expect(() => shapes.get('circel')).toThrow(
    'shape.kind: "circel" is not a shape kind (did you mean "circle"?); choose one of circle',
  );
  expect(() => shapes.get(undefined)).toThrow('shape.kind: is missing; choose one of circle');
  expect(shapes.kinds()).toEqual(['circle']);
  expect(isKindDescriptor(circle)).toBe(true);
  expect(isKindDescriptor(() => circle)).toBe(false);
});

test('largestInteger: the last x for which a monotone test holds', () => {
  expect(largestInteger(1, 100, (x) => x * x <= 50)).toBe(7);
  expect(largestInteger(5, 9, () => false)).toBeNull();
  expect(largestInteger(3, 2, () => true)).toBeNull();
});
