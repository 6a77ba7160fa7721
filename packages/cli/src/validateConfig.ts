import { ConfigError } from '@grokscope/core';
import { z } from 'zod';
import { type RunConfig, runConfigSchema } from './configSchema';

/**
 * Validates a raw config object. Every problem is reported with its field path, the value
 * given and what is allowed; several problems are listed together.
 */
export function validateConfig(raw: unknown, source = 'config'): RunConfig {
  const result = runConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => describeIssue(issue, raw));
  const [first, ...rest] = lines;
  throw new ConfigError(first!.field, [first!.text, ...rest.map((l) => `${l.field}: ${l.text}`)].join('\n  ') + `\n  (in ${source})`);
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): { field: string; text: string } {
  const field = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  const value = valueAt(raw, issue.path);
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  let allowed = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const where = field === '(root)' ? '' : `${field}.`;
    return { field: `${where}${issue.keys.join(`, ${where}`)}`, text: `unknown field${issue.keys.length > 1 ? 's' : ''}; remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling` };
  }
  if (issue.code === 'invalid_value') allowed = `allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'too_small') allowed = `must be ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}`;
  if (issue.code === 'too_big') allowed = `must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}`;
  if (issue.code === 'invalid_type') allowed = `expected ${issue.expected}`;
  return { field, text: `got ${shown}; ${allowed}` };
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur = raw;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}
