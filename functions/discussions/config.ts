import { parseBannedWords } from '@portail/core';

let cached: string[] | undefined;

/**
 * The banned words of the spam rule, from `SPAM_BANNED_WORDS` (comma or newline separated, optional),
 * read once.
 */
export function bannedWords(): string[] {
  cached ??= parseBannedWords(process.env.SPAM_BANNED_WORDS);
  return cached;
}
