import * as z from 'zod';
import type { User } from '../accounts/user';
import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';
import { hiddenDocument, popularityBoost, type SearchDocument, type SearchSchema } from './query';

/** What the users index holds: names first, then what they say about themselves. */
export const USER_SEARCH: SearchSchema = {
  kind: 'users',
  text: { name: 4, about: 0.5 },
  titleField: 'name',
  exactFields: [],
  keywords: [],
  numbers: ['created', 'followers', 'datasets', 'reuses'],
};

/** udata's user sorts that the index serves (`-` for descending). */
export const USER_SEARCH_SORTS = ['created', 'followers', 'datasets', 'reuses'] as const;

export const userSearchSortSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Give "sort" once.' })
    .refine(
      (value) =>
        (USER_SEARCH_SORTS as readonly string[]).includes(value.replace(/^-/, '')) || value === 'relevance',
      {
        error: (issue) =>
          `Unknown sort ${quoted(issue.input)}. Allowed values: ${USER_SEARCH_SORTS.map((sort) => `${sort}, -${sort}`).join(', ')}.`,
      },
    )
    .optional()
    .meta({
      description: `One of ${USER_SEARCH_SORTS.join(', ')} (\`-\` for descending). Default: relevance when \`q\` is given, else \`-created\`.`,
    }),
);

/**
 * A user is found only while active: not deleted and with a confirmed email (an account never
 * confirmed has not shown it belongs to anyone).
 */
export function isUserSearchable(user: Pick<User, 'deleted' | 'confirmed_at'>): boolean {
  return user.deleted === null && user.confirmed_at !== null;
}

/** The document of a user: hidden unless active (see `isUserSearchable`). */
export function userSearchDocument(
  user: User,
  counts: { followers?: number; datasets?: number; reuses?: number } = {},
): SearchDocument {
  if (!isUserSearchable(user)) return hiddenDocument(user.id, user.version);
  const numbers = {
    created: Date.parse(user.created_at),
    followers: counts.followers ?? 0,
    datasets: counts.datasets ?? 0,
    reuses: counts.reuses ?? 0,
  };
  return {
    id: user.id,
    version: user.version,
    visible: true,
    text: { name: `${user.first_name} ${user.last_name}`.trim(), about: user.about ?? '' },
    keywords: {},
    numbers,
    boost: popularityBoost({ followers: numbers.followers, reuses: numbers.reuses }),
  };
}
