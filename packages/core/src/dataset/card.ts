import * as z from 'zod';
import { truncate } from '../excerpt';
import { lazySchema } from '../lazy-schema';
import type { Dataset } from './dataset';
import type { PublicUrls } from './present';
import { isVisible, type Resource } from './resource';

/** How much of the description a card shows. */
export const CARD_EXCERPT_LENGTH = 240;
export const CARD_WIDTH = 600;
export const CARD_HEIGHT = 200;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * A description as plain text for an excerpt: Markdown's markup (links, emphasis, headings, images,
 * code fences, HTML tags) dropped, whitespace collapsed. What remains is escaped where it is written.
 */
export function plainExcerpt(markdown: string, length = CARD_EXCERPT_LENGTH): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(text, length);
}

/** The producer's name as a card shows it. */
export function producerName(dataset: Dataset): string {
  const { publisher } = dataset;
  return publisher.kind === 'organization'
    ? publisher.name
    : `${publisher.first_name} ${publisher.last_name}`.trim() || publisher.slug;
}

/**
 * Default looks, all under `:where(.dataset-card)` (no specificity), so any rule of the host page on
 * `.dataset-card` wins; no inline `style` attribute, which a host could not override.
 */
const CARD_STYLE = `:where(.dataset-card){display:block;box-sizing:border-box;max-width:${CARD_WIDTH}px;margin:0 0 1em;padding:1em;border:1px solid #ccc;border-radius:6px;font-family:system-ui,sans-serif;background:#fff;color:#222}:where(.dataset-card) :where(.dataset-card__title){margin:0 0 .3em;font-size:1.15em}:where(.dataset-card) :where(.dataset-card__producer,.dataset-card__facts){margin:0 0 .4em;font-size:.9em;color:#555}:where(.dataset-card) :where(.dataset-card__excerpt){margin:0 0 .5em}`;

/**
 * A dataset's embeddable card: one `<article class="dataset-card">` holding its title (a link back),
 * producer, a plain-text excerpt of its description, its resources count and last update. Every value
 * is escaped; the card carries no script, and several cards can sit on one page.
 */
export function datasetCardHtml(dataset: Dataset, resources: readonly Resource[], urls: PublicUrls): string {
  const page = `${urls.site}/datasets/${encodeURIComponent(dataset.slug)}/`;
  const count = resources.filter(isVisible).length;
  const updated = dataset.last_update.slice(0, 10);
  return [
    `<article class="dataset-card" data-dataset="${escapeHtml(dataset.id)}">`,
    `<style>${CARD_STYLE}</style>`,
    `<h3 class="dataset-card__title"><a href="${escapeHtml(page)}" target="_blank" rel="noopener">${escapeHtml(dataset.title)}</a></h3>`,
    `<p class="dataset-card__producer">${escapeHtml(producerName(dataset))}</p>`,
    `<p class="dataset-card__excerpt">${escapeHtml(plainExcerpt(dataset.description))}</p>`,
    `<p class="dataset-card__facts"><span class="dataset-card__resources">${count} ${count === 1 ? 'resource' : 'resources'}</span> · <time class="dataset-card__updated" datetime="${escapeHtml(dataset.last_update)}">updated ${escapeHtml(updated)}</time></p>`,
    '</article>',
  ].join('');
}

/** The page `/embed/datasets/{id}` serves: the card alone, for an iframe. */
export function datasetCardPage(dataset: Dataset, resources: readonly Resource[], urls: PublicUrls): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(dataset.title)}</title><base target="_blank"></head><body>${datasetCardHtml(dataset, resources, urls)}</body></html>`;
}

/** What a producer copies to embed the dataset: an iframe of its card page. */
export function embedSnippet(dataset: Pick<Dataset, 'id' | 'title'>, urls: PublicUrls): string {
  return `<iframe src="${escapeHtml(`${urls.api}/embed/datasets/${dataset.id}`)}" title="${escapeHtml(dataset.title)}" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" style="border:0" loading="lazy"></iframe>`;
}

/** udata's former oEmbed answer (`type: rich`). */
export const OembedResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      type: z.literal('rich'),
      version: z.literal('1.0'),
      title: z.string(),
      author_name: z.string(),
      author_url: z.string(),
      provider_name: z.string(),
      provider_url: z.string(),
      html: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      maxwidth: z.number().int().optional(),
      maxheight: z.number().int().optional(),
    })
    .meta({ id: 'Oembed' }),
);
