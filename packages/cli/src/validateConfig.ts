import { ConfigError } from '@grokscope/core';
import type { z } from 'zod';
import { allowedFields, KINDS, type RunConfig, runConfigSchema } from './configSchema';

interface Problem {
  readonly field: string;
  readonly text: string;
}

/**
 * Validates a raw config object. Every problem is reported with its field path, the value
 * given and what is allowed; several problems are listed together. `source` says where the
 * config came from (a file, a preset, `--set`).
 */
export function validateConfig(raw: unknown, source = 'config'): RunConfig {
  const result = runConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => describeIssue(issue, [], raw));
  const [first, ...rest] = problems;
  throw new ConfigError(first!.field, [first!.text, ...rest.map((p) => `${p.field}: ${p.text}`)].join('\n  ') + `\n  (in ${source})`);
}

/** `probes.1.module` → `probes[1].module` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || '(root)';
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/**
 * A config value as the error shows it. JSON.stringify writes Infinity and NaN as `null`, so
 * `1e400` (which parses to Infinity) would read "got null": name those numbers as they are.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : `${value > 0 ? '' : '-'}Infinity (a number too large to hold)`;
  }
  return JSON.stringify(value);
}

function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], raw: unknown): Problem[] {
  const path = [...prefix, ...issue.path];
  const field = formatPath(path);
  const value = valueAt(raw, path);
  const given = showValue(value);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const fields = issue.keys.map((k) => formatPath([...path, k]));
      const known = path.length <= 1 ? allowedFields(field, (value as { kind?: unknown } | undefined)?.kind, isObject(value) && Object.hasOwn(value, 'module')) : undefined;
      const what = fields.length > 1 ? 'unknown fields; remove them' : 'unknown field; remove it';
      return [{ field: fields.join(', '), text: `${what} or check the spelling${known ? ` (allowed here: ${known.join(', ')})` : ''}` }];
    }
    case 'invalid_union': {
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        const allowed = KINDS[field.replace(/\[\d+\]/g, '')];
        return [{ field, text: `got ${given}; allowed: ${allowed ? allowed.map((v) => JSON.stringify(v)).join(', ') : 'one of the known kinds'}` }];
      }
      // Explain the branch whose type matches the value (a string or an object), not every branch;
      // an object naming a `module` is a module entry, the last branch (configSchema.ts).
      const branch =
        isObject(value) && Object.hasOwn(value, 'module') ? issue.errors.at(-1) : issue.errors.find((errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0));
      if (branch) return branch.flatMap((e) => describeIssue(e, path, raw));
      if (field === 'task' || field === 'model' || field === 'optimizer') {
        const builtin = field === 'optimizer' ? '{ name, lr, … }' : `{ kind, … } (kinds: ${KINDS[`${field}.kind`]!.join(', ')})`;
        return [{ field, text: `got ${given}; expected a built-in ${builtin} or your own { module, export?, options? }` }];
      }
      return [{ field, text: `got ${given}; expected a built-in plugin name (a string) or an object { name | module, export?, options? }` }];
    }
    case 'invalid_value':
      return [{ field, text: `got ${given}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    case 'too_small':
      return [
        {
          field,
          text: `got ${given}; must be ${issue.origin === 'array' ? `a list of at least ${String(issue.minimum)} item(s)` : `${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}`}`,
        },
      ];
    case 'too_big':
      return [{ field, text: `got ${given}; must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}` }];
    case 'invalid_type':
      return [{ field, text: `got ${given}; expected ${TYPE_NAMES[issue.expected] ?? issue.expected}` }];
    default:
      return [{ field, text: `got ${given}; ${issue.message}` }];
  }
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur = raw;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
