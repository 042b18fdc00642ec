/** The most of one input value an error message quotes. */
export const EXCERPT_LENGTH = 40;

/**
 * A short, safe rendering of an input value for an error message: a string cut to a few dozen
 * characters, a number as written, and only the kind of anything else. It never walks into a list or
 * an object, so a value nested 100,000 levels deep costs nothing, and a 1 MB value comes back as a
 * few dozen characters.
 */
export function excerpt(value: unknown, length = EXCERPT_LENGTH): string {
  if (typeof value === 'string') return truncate(value, length);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return truncate(String(value), length);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** A string cut to `length` characters (never inside a surrogate pair), with "…" when it was longer. */
export function truncate(text: string, length: number): string {
  if (text.length <= length) return text;
  let end = length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** `excerpt` in double quotes for strings, bare for anything else: `Unknown sort "x…"`, `Unknown sort a list`. */
export function quoted(value: unknown, length = EXCERPT_LENGTH): string {
  return typeof value === 'string' ? `"${truncate(value, length)}"` : excerpt(value, length);
}

/**
 * `record[key]` only when the record holds `key` itself: a key taken from input (`constructor`,
 * `__proto__`, `toString`) never reaches what every object inherits.
 */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
