/**
 * The French analysis of the embedded engine, the same steps as the OpenSearch analyzer
 * (`opensearch/mappings.ts`): split on what is not a letter or digit, drop elided articles (l', d',
 * qu'…), lower-case, fold accents, drop stop words, then a light stemmer written for folded text
 * (plural and feminine endings), so "Énergies", "energie" and "énergie" meet.
 */

const ELISIONS = new Set([
  'l',
  'd',
  'j',
  'm',
  'n',
  's',
  't',
  'c',
  'qu',
  'jusqu',
  'lorsqu',
  'puisqu',
  'quoiqu',
]);

/** Common French words that carry no meaning alone (folded). */
export const FRENCH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes moi mon ' +
    'ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous ' +
    'y est sont ete etre avoir ont cet cette ceux celle celles dont'
  ).split(' '),
);

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase();
}

/** A light stemmer for folded words: plurals, feminine `e`, `aux` → `al`. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let out = word;
  if (out.endsWith('eaux')) out = out.slice(0, -1);
  else if (out.endsWith('aux') && out.length > 4) out = `${out.slice(0, -3)}al`;
  else if ((out.endsWith('s') || out.endsWith('x')) && !out.endsWith('ss')) out = out.slice(0, -1);
  if (out.endsWith('e') && out.length > 4) out = out.slice(0, -1);
  if (out.endsWith('ee') && out.length > 4) out = out.slice(0, -1);
  return out;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)?/gu;

/** Raw tokens with elisions removed, folded (no stop-word removal, no stemming). */
export function foldedTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    let token = fold(match[0]);
    const apostrophe = token.search(/['’]/);
    if (apostrophe > 0) {
      const head = token.slice(0, apostrophe);
      token = ELISIONS.has(head) ? token.slice(apostrophe + 1) : token.replace(/['’]/g, '');
    }
    if (token) tokens.push(token);
  }
  return tokens;
}

/** The terms indexed or searched for a text: folded, stop words out, stemmed. */
export function analyze(text: string): string[] {
  return foldedTokens(text)
    .filter((token) => !FRENCH_STOP_WORDS.has(token))
    .map(stem);
}

/** Exact fields (acronyms): folded tokens only. */
export function analyzeExact(text: string): string[] {
  return foldedTokens(text);
}
