import { renderMarkdown } from '@portail/core/markdown';
import type { Dataset, Organization, Reuse } from '../api';
import { type Html, html, trusted } from '../html';
import { formatDate, localePath } from '../i18n';
import type { RenderContext } from '../page';

/** User-written Markdown, through core's renderer (it escapes every character before building markup). */
export function markdown(source: string): Html {
  return trusted(renderMarkdown(source));
}

/** A link to one of the site's pages, from the API's `page` URL (`<site>/datasets/<slug>/`). */
export function sitePath(context: RenderContext, page: string): string {
  const path = page.startsWith(context.siteUrl) ? page.slice(context.siteUrl.length) : page;
  return path.startsWith('/') ? localePath(context.language, path) : path;
}

export function publisherLink(context: RenderContext, item: Pick<Dataset, 'organization' | 'owner'>): Html {
  if (item.organization)
    return html`<a href="${sitePath(context, item.organization.page)}">${item.organization.name}</a>`;
  if (item.owner)
    return html`<a href="${sitePath(context, item.owner.page)}">${item.owner.first_name} ${item.owner.last_name}</a>`;
  return html``;
}

/** Result cards: what a card shows of each dataset. */
export type DatasetCard = Pick<
  Dataset,
  'id' | 'slug' | 'title' | 'description_short' | 'last_update' | 'organization' | 'owner' | 'page'
>;

export function datasetCards(context: RenderContext, datasets: readonly DatasetCard[]): Html {
  const { t, language } = context;
  if (!datasets.length) return html`<p>${t.none}</p>`;
  return html`<ul class="cards">${datasets.map(
    (dataset) => html`<li>
<h3><a href="${sitePath(context, dataset.page)}">${dataset.title}</a></h3>
<p class="meta">${publisherLink(context, dataset)}${dataset.organization || dataset.owner ? ' · ' : ''}${t.lastUpdate} ${formatDate(language, dataset.last_update)}</p>
${dataset.description_short ? html`<p>${dataset.description_short}</p>` : ''}
</li>`,
  )}</ul>`;
}

export function reuseCards(context: RenderContext, reuses: readonly Reuse[]): Html {
  if (!reuses.length) return html`<p>${context.t.none}</p>`;
  return html`<ul class="cards">${reuses.map(
    (reuse) => html`<li><h3><a href="${sitePath(context, reuse.page)}">${reuse.title}</a></h3>
<p class="meta">${publisherLink(context, reuse)}</p></li>`,
  )}</ul>`;
}

export function organizationName(organization: Pick<Organization, 'name' | 'acronym'>): string {
  return organization.acronym ? `${organization.name} (${organization.acronym})` : organization.name;
}
