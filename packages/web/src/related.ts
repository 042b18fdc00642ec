import { looksLikeId } from '@portail/core/ids';

/**
 * A page names its object by slug, and the lists it shows beside the object (a dataset's discussions,
 * an organization's datasets and reuses) name it by id. A warm container remembers the id of each slug
 * it has shown: the lists are then read at the same time as the object, not after it, so the page costs
 * the slowest of its reads instead of their sum. The guess is only a guess: the object's own answer
 * confirms it, and a wrong one (a slug now worn by another object) is read again with the right id.
 * What the page shows is what the sequential reads would show.
 */

/** Slugs remembered per container: enough for the pages a container serves between two deployments. */
const REMEMBERED = 5_000;
const idsBySlug = new Map<string, string>();

function remember(key: string, id: string): void {
  if (idsBySlug.get(key) === id) return;
  idsBySlug.delete(key);
  idsBySlug.set(key, id);
  if (idsBySlug.size > REMEMBERED) idsBySlug.delete(idsBySlug.keys().next().value!);
}

/**
 * Reads `object` (asked for by `idOrSlug`) and `related(id)`, in parallel when the id is known in
 * advance (the path is the id, or the slug was seen before), one after the other otherwise. A failure
 * of the object's read (404, 410, 503) is the answer, whatever the lists did.
 */
export async function withRelated<O, R>(
  kind: string,
  idOrSlug: string,
  object: Promise<O>,
  idOf: (found: O) => string,
  related: (id: string) => Promise<R>,
): Promise<[O, R]> {
  const key = `${kind}:${idOrSlug}`;
  const guess = idsBySlug.get(key) ?? (looksLikeId(idOrSlug) ? idOrSlug : undefined);
  const early = guess === undefined ? undefined : related(guess);
  // Awaited below only when the guess is confirmed; otherwise its failure is of no interest.
  early?.catch(() => undefined);
  const found = await object;
  const id = idOf(found);
  if (id !== idOrSlug) remember(key, id);
  return [found, early && guess === id ? await early : await related(id)];
}
