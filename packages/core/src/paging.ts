/**
 * How deep a list can be read. `page` is a label once a cursor is given (following `next_page` costs
 * one Query at any depth); without one, the earlier items are read to be skipped, so that skip is bounded.
 */
export const MAX_PAGE = 1_000_000;
export const MAX_SKIPPED_ITEMS = 10_000;

/** Why a page cannot be read without a cursor, or null when it can. */
export function pageDepthIssue(page: number, pageSize: number): string | null {
  if ((page - 1) * pageSize <= MAX_SKIPPED_ITEMS) return null;
  return `Without a cursor, page × page_size may reach ${MAX_SKIPPED_ITEMS} items at most; follow next_page (it carries a cursor) to read further.`;
}
