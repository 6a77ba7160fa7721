import type { z } from 'zod';

/**
 * What keeps `data` from matching `schema`, one line per problem, each naming the field:
 * `"seed" is 1.5: expected an integer`. Empty when it matches. Readers put these in their
 * errors so a writer of another trainer sees what to change.
 */
export function schemaProblems(schema: z.ZodType, data: unknown): string[] {
  const result = schema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    const value = valueAt(data, issue.path);
    const name = field ? `"${field}"` : 'the file';
    if (issue.code === 'invalid_type') {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return value === undefined
        ? `${name} is missing (${expected})`
        : `${name} is ${shown(value)}, expected ${expected}`;
    }
    return `${name} is ${value === undefined ? 'missing' : shown(value)}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  record: 'an object',
  object: 'an object',
  array: 'a list',
};

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
