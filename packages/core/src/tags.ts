import { quoted } from './excerpt';
import { slugify } from './slug';

export const MIN_TAG_LENGTH = 3;
export const MAX_TAG_LENGTH = 96;

/** udata's tag rule: slugified, then 3 to 96 characters. Returns the tag or a reason it is refused. */
export function normalizeTag(raw: string): { tag: string } | { error: string } {
  const tag = slugify(raw, Number.POSITIVE_INFINITY);
  if (tag.length < MIN_TAG_LENGTH || tag.length > MAX_TAG_LENGTH) {
    return {
      error: `Tag ${quoted(raw)} must be between ${MIN_TAG_LENGTH} and ${MAX_TAG_LENGTH} characters long once normalized (got ${quoted(tag)}).`,
    };
  }
  return { tag };
}

/** Normalized, deduplicated and sorted, as udata stores them. */
export function normalizeTags(tags: readonly string[]): string[] {
  const result = new Set<string>();
  for (const raw of tags) {
    const normalized = normalizeTag(raw);
    if ('tag' in normalized) result.add(normalized.tag);
  }
  return [...result].sort();
}
