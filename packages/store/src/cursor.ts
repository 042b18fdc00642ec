import { type IndexName, lazySchema, TABLE, ValidationError } from '@portail/core';
import * as z from 'zod';

/**
 * Opaque pagination cursors: the index a listing reads and the key of the last item of a page (its
 * LastEvaluatedKey), base64url-encoded JSON. A cursor is checked completely before DynamoDB sees it:
 * its shape, the index it was made for, exactly that index's key attributes (and the table's), each a
 * non-empty string within DynamoDB's key sizes, and the partition it is used with. Anything else is a
 * 400 "Invalid cursor", never a DynamoDB error.
 */
export type PageKey = Record<string, string>;

/** DynamoDB's largest sort key (partition keys may be 2048 bytes; no key of Portail comes close). */
const MAX_KEY_BYTES = 1024;
const MAX_CURSOR_LENGTH = 4096;

const CursorSchema = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    index: z.string(),
    key: z.record(z.string(), z.string()),
  }),
);

function keyAttributes(indexName: IndexName): string[] {
  const index = TABLE.indexes.find((candidate) => candidate.name === indexName);
  if (!index) throw new Error(`Unknown index ${indexName}`);
  return [...new Set([TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey])];
}

export function encodeCursor(index: IndexName, key: PageKey | undefined): string | null {
  return key ? Buffer.from(JSON.stringify({ index, key })).toString('base64url') : null;
}

const invalid = () => ValidationError.field('cursor', 'Invalid cursor.');

/** The key to resume after, or a 400 when the cursor was not made by this listing. */
export function decodeCursor(cursor: string, index: IndexName, expected: Record<string, string>): PageKey {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const shape = CursorSchema.safeParse(parsed);
  if (!shape.success || shape.data.index !== index) throw invalid();
  const { key } = shape.data;
  const attributes = keyAttributes(index);
  const names = Object.keys(key);
  if (names.length !== attributes.length || !attributes.every((attribute) => Object.hasOwn(key, attribute)))
    throw invalid();
  for (const attribute of attributes) {
    const value = key[attribute]!;
    if (value === '' || Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) throw invalid();
  }
  for (const [attribute, value] of Object.entries(expected)) {
    if (key[attribute] !== value) throw invalid();
  }
  return key;
}
