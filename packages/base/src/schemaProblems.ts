import type { z } from 'zod';
import { showValue, TYPE_NAMES, valueAt } from './kinds';

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
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return value === undefined
        ? `${name} is missing (${expected})`
        : `${name} is ${shown(value)}, expected ${expected}`;
    }
    return `${name} is ${value === undefined ? 'missing' : shown(value)}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
}

/** A value as a problem line shows it, long ones cut (a whole config object would drown the line). */
function shown(value: unknown): string {
  const text = showValue(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
