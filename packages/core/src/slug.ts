import { own } from './excerpt';

/**
 * Slugs as udata makes them (python-slugify with unidecode): lower case ASCII, every run of other
 * characters becomes one dash, no dash at either end.
 */
const TRANSLITERATIONS: Record<string, string> = {
  µ: 'u',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ß: 'ss',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  Þ: 'th',
  ð: 'd',
  Ð: 'd',
  ı: 'i',
  '’': '',
  "'": '',
};

export const MAX_SLUG_LENGTH = 255;

export function slugify(text: string, maxLength = MAX_SLUG_LENGTH): string {
  const ascii = Array.from(text, (char) => own(TRANSLITERATIONS, char) ?? char)
    .join('')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  return ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
}

const UUID_LIKE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$|^[0-9a-f]{24}$/;

/**
 * The slug a new object starts from. A title that slugifies to something that looks like an id
 * gets `-uuid` appended (as udata does) so that an id lookup can never be shadowed by a slug.
 */
export function baseSlug(title: string, reserved: ReadonlySet<string> = new Set()): string {
  const slug = slugify(title) || 'untitled';
  if (UUID_LIKE.test(slug)) return `${slug.slice(0, MAX_SLUG_LENGTH - 5)}-uuid`;
  // A slug equal to a fixed path segment (`/datasets/licenses/`) could never be reached.
  return reserved.has(slug) ? `${slug}-1` : slug;
}

/** `title`, `title-1`, `title-2`… never longer than the maximum. */
export function slugWithSuffix(base: string, suffix: number): string {
  if (suffix === 0) return base;
  const tail = `-${suffix}`;
  return `${base.slice(0, MAX_SLUG_LENGTH - tail.length).replace(/-+$/, '')}${tail}`;
}
