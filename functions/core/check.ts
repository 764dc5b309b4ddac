/**
 * Small validators for what is read once at cold start (the environment, the brands file), so that
 * no schema library is loaded before the first request. A check reports every issue it finds, in
 * the words zod used for them before (what operators and tests have read), and gives the value it
 * read. A value it cannot read at all (the wrong type, an unknown option) is `INVALID`: the checks
 * that would read it, such as a rule across fields, are skipped, as zod skipped them.
 */
export const INVALID: unique symbol = Symbol('invalid');

export type Path = readonly (string | number)[];
export interface Issue {
  path: Path;
  message: string;
}
export type Check<T> = (input: unknown, path: Path, issues: Issue[]) => T | typeof INVALID;
export type Value<C> = C extends Check<infer T> ? T : never;
/** Reports an issue at the check's path, or below it. */
export type Report = (message: string, ...at: (string | number)[]) => void;

export function parse<T>(check: Check<T>, input: unknown): { ok: true; value: T } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const value = check(input, [], issues);
  return value === INVALID || issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const received = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v;

function wrongType(issues: Issue[], path: Path, expected: string, input: unknown): typeof INVALID {
  issues.push({ path, message: `Invalid input: expected ${expected}, received ${received(input)}` });
  return INVALID;
}

export function string(rules: { min?: number; max?: number; pattern?: RegExp; message?: string } = {}): Check<string> {
  return (input, path, issues) => {
    if (typeof input !== 'string') return wrongType(issues, path, 'string', input);
    // In code points, as zod counted: a name in a script outside the BMP is not twice as long.
    const length = [...input].length;
    if (rules.min !== undefined && length < rules.min) issues.push({ path, message: `Too small: expected string to have >=${rules.min} characters` });
    if (rules.max !== undefined && length > rules.max) issues.push({ path, message: `Too big: expected string to have <=${rules.max} characters` });
    if (rules.pattern && !rules.pattern.test(input)) issues.push({ path, message: rules.message ?? `Invalid string: must match pattern ${rules.pattern}` });
    return input;
  };
}

/** Any URL the WHATWG parser reads, trimmed, without the tabs and line breaks the parser would drop. */
export const url: Check<string> = (input, path, issues) => {
  if (typeof input !== 'string') return wrongType(issues, path, 'string', input);
  const trimmed = input.trim();
  if (URL.canParse(trimmed)) return trimmed.replace(/[\t\n\r]/g, '');
  issues.push({ path, message: 'Invalid URL' });
  return input;
};

// zod's email pattern, kept so that no address accepted before is refused now, nor the reverse.
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export const email: Check<string> = (input, path, issues) => {
  if (typeof input !== 'string') return wrongType(issues, path, 'string', input);
  if (!EMAIL.test(input)) issues.push({ path, message: 'Invalid email address' });
  return input;
};

export function oneOf<const V extends readonly string[]>(values: V): Check<V[number]> {
  return (input, path, issues) => {
    const found = values.find((v) => v === input);
    if (found !== undefined) return found;
    issues.push({ path, message: `Invalid option: expected one of ${values.map((v) => `"${v}"`).join('|')}` });
    return INVALID;
  };
}

/** A number read as `Number()` reads it (so from a string of the environment); `int` refuses fractions. */
export function number(rules: { int?: true; positive?: true; min?: number; max?: number } = {}): Check<number> {
  return (input, path, issues) => {
    const n = Number(input);
    if (!Number.isFinite(n)) return wrongType(issues, path, 'number', n);
    if (rules.int) {
      if (!Number.isInteger(n)) return wrongType(issues, path, 'int', n);
      if (n > Number.MAX_SAFE_INTEGER) issues.push({ path, message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` });
      if (n < Number.MIN_SAFE_INTEGER) issues.push({ path, message: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` });
    }
    if (rules.positive && !(n > 0)) issues.push({ path, message: 'Too small: expected number to be >0' });
    if (rules.min !== undefined && n < rules.min) issues.push({ path, message: `Too small: expected number to be >=${rules.min}` });
    if (rules.max !== undefined && n > rules.max) issues.push({ path, message: `Too big: expected number to be <=${rules.max}` });
    return n;
  };
}

export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (input, path, issues) =>
    input === undefined ? undefined : check(input, path, issues);

export const withDefault =
  <T>(check: Check<T>, fallback: T): Check<T> =>
  (input, path, issues) =>
    input === undefined ? fallback : check(input, path, issues);

export function array<T>(element: Check<T>, min = 0): Check<T[]> {
  return (input, path, issues) => {
    if (!Array.isArray(input)) return wrongType(issues, path, 'array', input);
    const out: T[] = [];
    let readable = true;
    for (let i = 0; i < input.length; i++) {
      const v = element(input[i], [...path, i], issues);
      if (v === INVALID) readable = false;
      else out.push(v);
    }
    if (!readable) return INVALID;
    if (out.length < min) issues.push({ path, message: `Too small: expected array to have >=${min} items` });
    return out;
  };
}

export function record<T>(key: Check<string>, value: Check<T>): Check<Record<string, T>> {
  return (input, path, issues) => {
    if (!isObject(input)) return wrongType(issues, path, 'record', input);
    const out: [string, T][] = [];
    let readable = true;
    for (const [k, item] of Object.entries(input)) {
      // Dropped, as zod dropped it: no key ring or label table is to carry a key of that name.
      if (k === '__proto__') continue;
      const keyIssues: Issue[] = [];
      const v = key(k, [...path, k], keyIssues) === INVALID || keyIssues.length > 0 ? INVALID : value(item, [...path, k], issues);
      if (keyIssues.length > 0) issues.push({ path: [...path, k], message: 'Invalid key in record' });
      if (v === INVALID) readable = false;
      else out.push([k, v]);
    }
    return readable ? Object.fromEntries(out) : INVALID;
  };
}

/** A string of JSON whose value passes `check`; any issue inside is the one `message`, the variable being one value. */
export function json<T>(check: Check<T>, message: string): Check<T> {
  return (input, path, issues) => {
    if (typeof input !== 'string') return wrongType(issues, path, 'string', input);
    let parsed: unknown = INVALID;
    try {
      parsed = JSON.parse(input);
    } catch {
      // Not JSON: the one message below says what is wanted.
    }
    const inner: Issue[] = [];
    const v = parsed === INVALID ? INVALID : check(parsed, path, inner);
    if (v !== INVALID && inner.length === 0) return v;
    issues.push({ path, message });
    return INVALID;
  };
}

type Shape = Record<string, Check<unknown>>;
export type Shaped<S extends Shape> = { [K in keyof S]: Value<S[K]> };

/** An object of the given fields; `strict` refuses any other key, after the fields' own issues. */
export function object<S extends Shape>(shape: S, strict = false): Check<Shaped<S>> {
  return (input, path, issues) => {
    if (!isObject(input)) return wrongType(issues, path, 'object', input);
    const out: Record<string, unknown> = {};
    let readable = true;
    for (const [key, check] of Object.entries(shape)) {
      const v = check(Object.hasOwn(input, key) ? input[key] : undefined, [...path, key], issues);
      if (v === INVALID) readable = false;
      else if (v !== undefined) out[key] = v;
    }
    const unknown = strict ? Object.keys(input).filter((k) => !Object.hasOwn(shape, k)) : [];
    if (unknown.length > 0) issues.push({ path, message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `"${k}"`).join(', ')}` });
    // Every field was read by its own check, so `out` has the shape's types.
    return readable ? (out as Shaped<S>) : INVALID;
  };
}

/** A rule over a value once it could be read, even if some of its fields broke a softer rule. */
export function refine<T>(check: Check<T>, rule: (value: T, report: Report) => void): Check<T> {
  return (input, path, issues) => {
    const v = check(input, path, issues);
    if (v !== INVALID) rule(v, (message, ...at) => issues.push({ path: [...path, ...at], message }));
    return v;
  };
}

/** Turns a valid value into another; a value with any issue is not turned, and reads as `INVALID`. */
export function map<T, U>(check: Check<T>, turn: (value: T) => U): Check<U> {
  return (input, path, issues) => {
    const before = issues.length;
    const v = check(input, path, issues);
    return v === INVALID || issues.length > before ? INVALID : turn(v);
  };
}
