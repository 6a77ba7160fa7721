import { type ConfigProblem, describeIssue, formatPath, showValue, valueAt } from '@grokscope/base';
import { ConfigError } from '@grokscope/core';
import type { z } from 'zod';
import { allowedFields, KINDS, type RunConfig, runConfigSchema } from './configSchema';

type Problem = ConfigProblem;

/**
 * Validates a raw config object. Every problem is reported with its field path, the value
 * given and what is allowed; several problems are listed together. `source` says where the
 * config came from (a file, a preset, `--set`).
 */
export function validateConfig(raw: unknown, source = 'config'): RunConfig {
  const result = runConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => explain(issue, [], raw));
  const [first, ...rest] = problems;
  throw new ConfigError(
    first!.field,
    [first!.text, ...rest.map((p) => `${p.field}: ${p.text}`)].join('\n  ') + `\n  (in ${source})`,
  );
}

export { formatPath, showValue };

/** A problem per issue; a union's issue is explained by the branch the value meant, the rest by base's describeIssue. */
function explain(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], raw: unknown): Problem[] {
  const path = [...prefix, ...issue.path];
  const field = formatPath(path);
  const value = valueAt(raw, path);
  const given = showValue(value);
  switch (issue.code) {
    case 'invalid_union': {
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        const allowed = KINDS[field.replace(/\[\d+\]/g, '')];
        return [
          {
            field,
            text: `got ${given}; allowed: ${allowed ? allowed.map((v) => JSON.stringify(v)).join(', ') : 'one of the known kinds'}`,
          },
        ];
      }
      // Explain the branch whose type matches the value (a string or an object), not every branch;
      // an object naming a `module` is a module entry, the last branch (configSchema.ts).
      const branch =
        isObject(value) && Object.hasOwn(value, 'module')
          ? issue.errors.at(-1)
          : issue.errors.find((errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0));
      if (branch) return branch.flatMap((e) => explain(e, path, raw));
      if (field === 'task' || field === 'model' || field === 'optimizer') {
        const builtin =
          field === 'optimizer' ? '{ name, lr, … }' : `{ kind, … } (kinds: ${KINDS[`${field}.kind`]!.join(', ')})`;
        return [
          { field, text: `got ${given}; expected a built-in ${builtin} or your own { module, export?, options? }` },
        ];
      }
      return [
        {
          field,
          text: `got ${given}; expected a built-in plugin name (a string) or an object { name | module, export?, options? }`,
        },
      ];
    }
    default: {
      // The project's one reading of a zod issue, with the fields allowed where an unknown field sits.
      const allowed = (at: readonly PropertyKey[]) =>
        at.length <= 1
          ? allowedFields(
              formatPath(at),
              (value as { kind?: unknown } | undefined)?.kind,
              isObject(value) && Object.hasOwn(value, 'module'),
            )
          : undefined;
      return [describeIssue(issue, { input: valueAt(raw, prefix), prefix, allowedFields: allowed })];
    }
  }
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
