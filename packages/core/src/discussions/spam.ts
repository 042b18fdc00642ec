/**
 * The obvious-spam rule: a comment that is only links, that repeats the same text over and over, or
 * that uses a word of the configured banned list is held for moderation instead of being published (a
 * sysadmin publishes or deletes it). It errs on the side of publishing: anything a person could have
 * written in good faith passes.
 */
export type SpamReason = 'links-only' | 'repeated-text' | 'banned-word';

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>()]+/gi;
const MARKDOWN_LINK = /\[([^\]\n]*)\]\(([^)\s]*)\)/g;

/** The words of a text, lower-cased and without accents, for the banned list and the repetition test. */
export function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The banned list as configuration gives it (comma or newline separated), normalized like words. */
export function parseBannedWords(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(/[,\n]/).flatMap((entry) => wordsOf(entry).join(' ') || []))];
}

function linksOnly(text: string): boolean {
  const links = (text.match(URL_PATTERN) ?? []).length + (text.match(MARKDOWN_LINK) ?? []).length;
  if (links === 0) return false;
  const rest = text.replace(MARKDOWN_LINK, ' ').replace(URL_PATTERN, ' ');
  return wordsOf(rest).length === 0;
}

function repeated(text: string): boolean {
  const words = wordsOf(text);
  if (words.length >= 12) {
    const counts = new Map<string, number>();
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    // Twelve words or more and at most one in six distinct, one word making over half of them.
    const top = Math.max(...counts.values());
    if (counts.size * 6 <= words.length && top * 2 > words.length) return true;
  }
  // The same line (of some length) four times or more.
  const lines = text
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line.length >= 8);
  const seen = new Map<string, number>();
  for (const line of lines) {
    const count = (seen.get(line) ?? 0) + 1;
    if (count >= 4) return true;
    seen.set(line, count);
  }
  return false;
}

function banned(text: string, bannedWords: readonly string[]): boolean {
  if (bannedWords.length === 0) return false;
  const padded = ` ${wordsOf(text).join(' ')} `;
  return bannedWords.some((entry) => padded.includes(` ${entry} `));
}

/** Why a comment (or a discussion's title and first comment) is held, or null when it is published. */
export function spamReason(text: string, bannedWords: readonly string[]): SpamReason | null {
  if (banned(text, bannedWords)) return 'banned-word';
  if (linksOnly(text)) return 'links-only';
  if (repeated(text)) return 'repeated-text';
  return null;
}
