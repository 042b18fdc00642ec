import { randomBytes } from 'node:crypto';

/**
 * Identifiers look like udata's (MongoDB ObjectId: 24 lower-case hex characters, the first 8 being
 * the creation time in seconds) so that clients validating udata ids keep working.
 */
export const ID_PATTERN = /^[0-9a-f]{24}$/;

export function newId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return seconds + randomBytes(8).toString('hex');
}

export function looksLikeId(value: string): boolean {
  return ID_PATTERN.test(value);
}
