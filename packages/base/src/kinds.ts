import type { z } from 'zod';
import { ConfigError } from './errors';

/** Edits (insertions, deletions, substitutions) that turn `a` into `b`: Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The allowed name a typo most likely meant: the same letters ignoring case, or the closest name at
 * most 2 edits away (fewer for short words, so `n` suggests nothing); undefined when none is near.
 */
export function didYouMean(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(word.length / 2));
  for (const name of allowed) {
    if (name.toLowerCase() === word.toLowerCase()) return name;
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    if (d <= bestDistance) {
      best = name;
      bestDistance = d - 1; // a later name must be strictly closer
    }
  }
  return best;
}

/** `probes.1.module` → `probes[1].module`; the empty path is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || '(root)';
}

/**
 * A config value as an error shows it. JSON.stringify writes Infinity and NaN as `null`, so
 * `1e400` (which parses to Infinity) would read "got null": name those numbers as they are.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : `${value > 0 ? '' : '-'}Infinity (a number too large to hold)`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** A zod type as an error names it: `int` → "an integer". */
export const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

/** One problem of a config: the field as the config spells it and what is wrong with it. */
export interface ConfigProblem {
  readonly field: string;
  readonly text: string;
}

export interface IssueContext {
  /** The config value the issue's path starts from (to show the value given). */
  readonly input: unknown;
  /** Where that value sits in the whole config (`['task']`, `['model', 'options']`). */
  readonly prefix?: readonly PropertyKey[];
  /**
   * The fields allowed in the object at a path, for unknown-field messages; absent: the schema's keys are not listed.
   */
  readonly allowedFields?: (path: readonly PropertyKey[]) => readonly string[] | undefined;
}

/**
 * A zod issue in the project's words: the field (`task.modulus`), the value given, what is allowed
 * and, for a misspelt field, the field most likely meant. Union issues are left to the caller
 * (which branch to explain depends on the config); this states the issue's own message for them.
 */
export function describeIssue(issue: z.core.$ZodIssue, context: IssueContext): ConfigProblem {
  const path = [...(context.prefix ?? []), ...issue.path];
  const field = formatPath(path);
  const given = showValue(valueAt(context.input, issue.path));
  switch (issue.code) {
    case 'unrecognized_keys': {
      const fields = issue.keys.map((k) => formatPath([...path, k]));
      const known = context.allowedFields?.(path);
      const guess = known && issue.keys.length === 1 ? didYouMean(issue.keys[0]!, known) : undefined;
      const what = fields.length > 1 ? 'unknown fields; remove them' : 'unknown field; remove it';
      const mean = guess ? ` (did you mean "${guess}"?)` : '';
      return {
        field: fields.join(', '),
        text: `${what} or check the spelling${mean}${known ? ` (allowed here: ${known.join(', ')})` : ''}`,
      };
    }
    case 'invalid_value':
      return { field, text: `got ${given}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'too_small': {
      const bound = `${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}`;
      const list = `a list of at least ${String(issue.minimum)} item(s)`;
      const string =
        Number(issue.minimum) === 1 ? 'a non-empty string' : `a string of at least ${String(issue.minimum)} characters`;
      return {
        field,
        text: `got ${given}; must be ${issue.origin === 'array' ? list : issue.origin === 'string' ? string : bound}`,
      };
    }
    case 'too_big':
      return { field, text: `got ${given}; must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}` };
    case 'invalid_type': {
      // A schema's own message (`z.string({ error: 'expected the path of …' })`) says more than the type's name.
      const own = !issue.message.startsWith('Invalid input');
      return {
        field,
        text: `got ${given}; ${own ? issue.message : `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`}`,
      };
    }
    default:
      return { field, text: `got ${given}; ${issue.message}` };
  }
}

/**
 * Parses `input` with `schema`, or throws one ConfigError naming the first problem's field
 * (`<prefix>.<field>`) and listing any others: the way every kind's config and every plugin's
 * options are checked, so a config file's mistake reads the same wherever it is.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: string | readonly PropertyKey[] = [],
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const path = typeof prefix === 'string' ? prefix.split('.') : prefix;
  const allowedFields = (at: readonly PropertyKey[]) => fieldsAt(schema, at.slice(path.length));
  const problems = result.error.issues.map((issue) => describeIssue(issue, { input, prefix: path, allowedFields }));
  const [first, ...rest] = problems;
  throw new ConfigError(first!.field, [first!.text, ...rest.map((p) => `${p.field}: ${p.text}`)].join('\n  '));
}

/** The keys of the object schema at `path` inside `schema` (through defaults and optionals); undefined if none. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): readonly string[] | undefined {
  let s: unknown = schema;
  for (const k of [undefined, ...path]) {
    for (let unwrap = 0; unwrap < 4; unwrap++) {
      const def = (s as { _zod?: { def?: { innerType?: unknown } } })._zod?.def;
      if (!def?.innerType) break;
      s = def.innerType;
    }
    if (k === undefined) continue;
    const shape = (s as { shape?: Record<PropertyKey, unknown> }).shape;
    s = shape?.[k];
  }
  const shape = (s as { shape?: object } | undefined)?.shape;
  return shape ? Object.keys(shape) : undefined;
}

/** The value at a zod issue's path in the raw input (undefined where the path leads nowhere). */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur = raw;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** What every kind of a family has: the name a config gives in `kind`, and the zod schema of its config. */
export interface KindDescriptor {
  readonly kind: string;
  readonly schema: z.ZodType;
}

/** Whether `value` looks like a kind descriptor (a module's export may be one, or a plain factory). */
export function isKindDescriptor(value: unknown): value is KindDescriptor {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; schema?: { safeParse?: unknown } };
  return typeof v.kind === 'string' && typeof v.schema?.safeParse === 'function';
}

/**
 * The kinds of one family (tasks, models, optimisers), by name. The project's own kinds register
 * here when their package loads, and a `{ module }` entry whose export is a descriptor registers
 * the same way, so the CLI looks every kind up here and branches on no kind's name.
 */
export class KindRegistry<D extends KindDescriptor> {
  readonly #kinds = new Map<string, D>();
  /** `task`, `model`: the config field the kinds are given in, for error messages. */
  readonly family: string;
  /** The field of that config naming the kind: `kind`, or `name` for optimisers. */
  readonly key: string;

  constructor(family: string, key = 'kind') {
    this.family = family;
    this.key = key;
  }

  /** Adds a kind; registering the same descriptor again is a no-op, another one under a taken name an error. */
  register<T extends D>(descriptor: T): T {
    const taken = this.#kinds.get(descriptor.kind);
    if (taken !== undefined && taken !== descriptor) {
      throw new ConfigError(
        `${this.family}.${this.key}`,
        `"${descriptor.kind}" is already ${this.#a()} kind; give yours another name`,
      );
    }
    this.#kinds.set(descriptor.kind, descriptor);
    return descriptor;
  }

  /** The kind named `kind`, or a ConfigError naming the known kinds and the one most likely meant. */
  get(kind: unknown): D {
    const found = typeof kind === 'string' ? this.#kinds.get(kind) : undefined;
    if (found) return found;
    const guess = typeof kind === 'string' ? didYouMean(kind, this.kinds()) : undefined;
    const what = kind === undefined ? 'is missing' : `${showValue(kind)} is not ${this.#a()} kind`;
    throw new ConfigError(
      `${this.family}.${this.key}`,
      `${what}${guess ? ` (did you mean "${guess}"?)` : ''}; choose one of ${this.kinds().join(', ')}`,
    );
  }

  /** `a task`, `an optimizer`. */
  #a(): string {
    return `${/^[aeiou]/i.test(this.family) ? 'an' : 'a'} ${this.family}`;
  }

  has(kind: string): boolean {
    return this.#kinds.has(kind);
  }

  /** The registered kinds' names, in the order they were registered. */
  kinds(): string[] {
    return [...this.#kinds.keys()];
  }

  list(): D[] {
    return [...this.#kinds.values()];
  }
}

/**
 * The largest integer in [lo, hi] where `ok` holds, for `ok` true up to some point and false
 * after (a binary search); null if none. What shrink advice searches with.
 */
export function largestInteger(lo: number, hi: number, ok: (x: number) => boolean): number | null {
  if (hi < lo || !ok(lo)) return null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
