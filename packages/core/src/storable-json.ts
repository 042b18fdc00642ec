import * as z from 'zod';
import { quoted } from './excerpt';

/**
 * What free JSON (udata's `extras`) may hold so that DynamoDB stores it exactly as it was sent:
 * - nesting: DynamoDB refuses documents deeper than 32 levels, and the object that holds the extras
 *   takes some of them, so extras keep to MAX_EXTRAS_DEPTH;
 * - numbers: finite (`1e400` parses to Infinity), at most 2^53 - 1 in magnitude (beyond it JSON.parse
 *   has already rounded the integer and the DynamoDB marshaller refuses it: send such values as strings),
 *   and not closer to zero than DynamoDB's smallest number (1e-130);
 * - keys: not empty or blank (DynamoDB refuses empty map keys), and never `__proto__`, `constructor` or
 *   `prototype`, which would read or write an object's prototype instead of a key.
 */
export const MAX_EXTRAS_DEPTH = 16;
export const MAX_SAFE_NUMBER = Number.MAX_SAFE_INTEGER;
export const MIN_STORABLE_MAGNITUDE = 1e-130;
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface StorableJsonLimits {
  /** Levels of nesting, the outer object included (`{"a": 1}` is 1, `{"a": [1]}` is 2). */
  maxDepth: number;
  /** Longest key, in characters, at any level. */
  maxKeyLength: number;
}

/** The first reason a JSON value cannot be stored as sent, with where it is; null when it can. */
export function storableJsonIssue(
  value: unknown,
  limits: StorableJsonLimits,
): { path: string; message: string } | null {
  // Walked with an explicit stack: the depth check comes before any recursion could.
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (typeof current === 'number') {
      const issue = numberIssue(current);
      if (issue) return { path, message: issue };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limits.maxDepth) {
      return { path, message: `At most ${limits.maxDepth} levels of nesting.` };
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) => {
        stack.push({ value: item, depth: depth + 1, path: `${path}[${index}]` });
      });
      continue;
    }
    for (const key of Object.keys(current)) {
      const issue = keyIssue(key, limits.maxKeyLength);
      const where = path ? `${path}.${quoted(key, 20)}` : quoted(key, 20);
      if (issue) return { path: where, message: issue };
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1, path: where });
    }
  }
  return null;
}

export function keyIssue(key: string, maxLength: number): string | null {
  if (key.trim() === '') return 'Keys may not be empty.';
  if (key.length > maxLength) return `Keys are at most ${maxLength} characters.`;
  if (FORBIDDEN_KEYS.has(key)) return `${quoted(key)} may not be used as a key.`;
  return null;
}

export function numberIssue(value: number): string | null {
  if (!Number.isFinite(value)) return 'Numbers must be finite.';
  const magnitude = Math.abs(value);
  if (magnitude > MAX_SAFE_NUMBER) {
    return 'Numbers are at most 2^53 - 1 (9007199254740991) in magnitude; send larger ones as strings.';
  }
  if (magnitude !== 0 && magnitude < MIN_STORABLE_MAGNITUDE) {
    return 'Numbers closer to zero than 1e-130 cannot be stored; send them as strings.';
  }
  return null;
}

/** UTF-8 length of the value as JSON: what it weighs in a DynamoDB item. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** What every `extras` may hold at most: keys, and UTF-8 bytes of JSON (a DynamoDB item holds 400 KB). */
export const MAX_EXTRAS_KEYS = 100;
export const MAX_EXTRAS_BYTES = 50_000;

export interface ExtrasLimits {
  maxKeys?: number;
  maxKeyLength: number;
  /** UTF-8 bytes of the extras as JSON. */
  maxBytes?: number;
  /** Top-level keys are trimmed (datasets, as before). */
  trimKeys?: boolean;
  /** Extra rule on top-level keys (datasets refuse `custom:` keys). */
  keyRule?: (key: string) => string | null;
}

/**
 * udata's free `extras` object, refused with a 400 naming the problem (and where it is) whenever
 * DynamoDB could not store it as sent. Used by datasets, organizations, resources and community resources.
 */
export function extrasSchema(limits: ExtrasLimits) {
  const maxKeys = limits.maxKeys ?? MAX_EXTRAS_KEYS;
  const maxBytes = limits.maxBytes ?? MAX_EXTRAS_BYTES;
  return z
    .record(limits.trimKeys ? z.string().trim() : z.string(), z.unknown(), { error: 'Expected an object.' })
    .superRefine((extras, ctx) => {
      const keys = Object.keys(extras);
      if (keys.length > maxKeys) {
        ctx.addIssue({ code: 'custom', message: `At most ${maxKeys} extras.` });
        return;
      }
      for (const key of keys) {
        const issue = keyIssue(key, limits.maxKeyLength) ?? limits.keyRule?.(key);
        if (issue) {
          ctx.addIssue({ code: 'custom', message: `${quoted(key, 20)}: ${issue}` });
          return;
        }
      }
      const issue = storableJsonIssue(extras, {
        maxDepth: MAX_EXTRAS_DEPTH,
        maxKeyLength: limits.maxKeyLength,
      });
      if (issue) {
        ctx.addIssue({ code: 'custom', message: `${issue.path}: ${issue.message}` });
        return;
      }
      if (jsonByteLength(extras) > maxBytes) {
        ctx.addIssue({ code: 'custom', message: `At most ${maxBytes} bytes of JSON.` });
      }
    });
}
