import { ValidationError } from '@portail/core';

/**
 * A field mask as udata reads the `X-Fields` header (flask-restx's grammar): names separated by
 * commas, a name followed by `{…}` masks that field's object (or each object of its list), `*` keeps
 * every field not named, and outer braces are optional: `data{id,title,resources{id,url}},total`.
 * `true` keeps a field whole.
 */
export interface FieldMask {
  readonly [field: string]: FieldMask | true;
}

export const FIELD_MASK_HEADER = 'x-fields';
/** Longer masks are refused: a mask names fields, it never needs kilobytes. */
export const MAX_FIELD_MASK_LENGTH = 2000;
const MAX_DEPTH = 16;

const TOKEN = /\s*(?:([{},])|([\w:*-]+))\s*/y;

function maskError(mask: string, reason: string): ValidationError {
  const shown = mask.length > 80 ? `${mask.slice(0, 80)}…` : mask;
  return new ValidationError(`Mask parse error: ${reason} in X-Fields "${shown}".`, {
    'X-Fields': [`Mask parse error: ${reason}.`],
  });
}

/**
 * Parses an `X-Fields` value; `undefined` for an absent or blank header (no mask). A malformed mask
 * is a `ValidationError` (400) naming what is wrong, where flask-restx would also answer 400. Unlike
 * flask-restx, characters outside names, braces and commas are refused rather than skipped.
 */
export function parseFieldMask(raw: string | undefined): FieldMask | undefined {
  if (raw === undefined) return undefined;
  let text = raw.replace(/[\r\n]/g, '').trim();
  if (text === '') return undefined;
  if (text.length > MAX_FIELD_MASK_LENGTH) {
    throw maskError(text, `longer than ${MAX_FIELD_MASK_LENGTH} characters`);
  }
  const original = text;
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw maskError(original, 'missing closing bracket');
    text = text.slice(1, -1);
  }
  // Null-prototype objects: a field named `__proto__` or `constructor` is just a name.
  const root: Record<string, FieldMask | true> = Object.create(null);
  const stack: Record<string, FieldMask | true>[] = [];
  let fields = root;
  let previous: string | undefined;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw maskError(original, `unexpected character "${text[at]}"`);
    const [, punctuation, name] = match;
    if (punctuation === '{') {
      if (previous === undefined || previous === '{' || previous === '}' || previous === ',') {
        throw maskError(original, 'unexpected opening bracket');
      }
      if (stack.length >= MAX_DEPTH) throw maskError(original, `nested deeper than ${MAX_DEPTH}`);
      const nested: Record<string, FieldMask | true> = Object.create(null);
      fields[previous] = nested;
      stack.push(fields);
      fields = nested;
    } else if (punctuation === '}') {
      const parent = stack.pop();
      if (!parent) throw maskError(original, 'unexpected closing bracket');
      if (previous === '{' || previous === ',') throw maskError(original, 'missing field name');
      fields = parent;
    } else if (punctuation === ',') {
      if (previous === undefined || previous === ',' || previous === '{') {
        throw maskError(original, 'unexpected comma');
      }
    } else if (name !== undefined) {
      if (previous !== undefined && previous !== ',' && previous !== '{') {
        throw maskError(original, `missing comma before "${name}"`);
      }
      fields[name] = true;
    }
    previous = punctuation ?? name;
  }
  if (stack.length > 0) throw maskError(original, 'missing closing bracket');
  if (previous === ',') throw maskError(original, 'missing field name');
  return root;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keeps what the mask names, as flask-restx does: a named field missing from the object is `null`, a
 * list is masked item by item, `*` keeps every other field, and a nested mask over a value that is not
 * an object leaves it as it is.
 */
export function applyFieldMask(data: unknown, mask: FieldMask): unknown {
  if (Array.isArray(data)) return data.map((item) => applyFieldMask(item, mask));
  if (!isPlainObject(data)) return data;
  const out: Record<string, unknown> = Object.create(null);
  for (const [field, nested] of Object.entries(mask)) {
    if (field === '*') continue;
    const value = Object.hasOwn(data, field) ? data[field] : null;
    out[field] =
      nested === true || value === null || value === undefined
        ? (value ?? null)
        : applyFieldMask(value, nested);
  }
  if (Object.hasOwn(mask, '*')) {
    for (const [key, value] of Object.entries(data)) if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}
