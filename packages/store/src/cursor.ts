import { ValidationError } from '@portail/core';
import * as z from 'zod';

/**
 * Opaque pagination cursors: the query's LastEvaluatedKey, base64url-encoded. A cursor is checked
 * against the partition it is used with, so a tampered cursor answers 400 instead of reaching DynamoDB.
 */
const KeySchema = z.record(z.string(), z.string());
export type PageKey = z.infer<typeof KeySchema>;

export function encodeCursor(key: PageKey | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

export function decodeCursor(cursor: string, expected: Record<string, string>): PageKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ValidationError.field('cursor', 'Invalid cursor.');
  }
  const key = KeySchema.safeParse(parsed);
  const matches =
    key.success && Object.entries(expected).every(([attribute, value]) => key.data[attribute] === value);
  if (!key.success || !matches) throw ValidationError.field('cursor', 'Invalid cursor.');
  return key.data;
}
