import { randomBytes } from 'node:crypto';

/**
 * Identifiers look like udata's (MongoDB ObjectId: 24 lower-case hex characters, the first 8 being
 * the creation time in seconds) so that clients validating udata ids keep working.
 */
export const ID_PATTERN = /^[0-9a-f]{24}$/;

/**
 * Random bytes drawn from the system's generator a block at a time: one call per 512 ids instead of one
 * per id (each read announces its view with an event, whose id is drawn on the request's path).
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

export function newId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return seconds + randomHex(8);
}

export function looksLikeId(value: string): boolean {
  return ID_PATTERN.test(value);
}
