import * as z from 'zod';
import { DatasetSchema, listOf } from '../api';
import { type Html, html } from '../html';
import { localePath } from '../i18n';
import { lookups } from '../lookups';
import type { PageResult, RenderContext } from '../page';
import { datasetCards } from './common';

/** The query parameters the search page passes on to `GET /api/2/datasets/search/`. */
const PASSED = ['q', 'tag', 'organization', 'owner', 'license', 'format', 'sort'] as const;
/** The facets shown beside the results: each value is a link adding that filter to the URL. */
const FACETS = ['tag', 'license', 'format'] as const;
type Facet = (typeof FACETS)[number];
const PAGE_SIZE = 20;
const FACET_VALUES = 10;

/** What a result card shows of a dataset, and the facets' counts. */
const SearchPageSchema = listOf(
  DatasetSchema.pick({
    id: true,
    slug: true,
    title: true,
    description_short: true,
    last_update: true,
    organization: true,
    owner: true,
    page: true,
  }),
).extend({
  facets: z.record(z.string(), z.array(z.tuple([z.string(), z.number()]))).default({}),
});

/**
 * `/datasets/?q=…&tag=…`: the API's dataset search with facets, as a page; every filter is in the
 * URL, so a result page is a link to share, and it works without JavaScript.
 */
export async function searchPage(context: RenderContext): Promise<PageResult> {
  const { t, api, language, query } = context;
  const kept = new URLSearchParams();
  for (const name of PASSED) {
    const value = query.get(name);
    if (value) kept.set(name, value.slice(0, 200));
  }
  const page = Math.min(Math.max(Number.parseInt(query.get('page') ?? '1', 10) || 1, 1), 500);
  const apiQuery = new URLSearchParams(kept);
  apiQuery.set('page', String(page));
  apiQuery.set('page_size', String(PAGE_SIZE));
  apiQuery.set('facets', FACETS.join(','));
  const [results, labels] = await Promise.all([
    api(`/api/2/datasets/search/?${apiQuery}`, SearchPageSchema),
    lookups(api, context.apiUrl),
  ]);
  const searchPath = (params: URLSearchParams) => {
    const search = params.toString();
    return localePath(language, `/datasets/${search ? `?${search}` : ''}`);
  };
  const linkTo = (target: number) => {
    const params = new URLSearchParams(kept);
    if (target > 1) params.set('page', String(target));
    return searchPath(params);
  };
  const withFilter = (name: string, value: string | null) => {
    const params = new URLSearchParams(kept);
    if (value === null) params.delete(name);
    else params.set(name, value);
    return searchPath(params);
  };
  const label = (facet: Facet, value: string) => (facet === 'license' ? labels.license(value).title : value);
  const facetTitle: Record<Facet, string> = {
    tag: t.facetTag,
    license: t.facetLicense,
    format: t.facetFormat,
  };
  const active = FACETS.filter((facet) => kept.get(facet));
  const facetList = (facet: Facet): Html | '' => {
    const values = (results.facets[facet] ?? []).filter(([value]) => value !== kept.get(facet));
    if (!values.length) return '';
    return html`<section aria-labelledby="facet-${facet}"><h3 id="facet-${facet}">${facetTitle[facet]}</h3>
<ul>${values
      .slice(0, FACET_VALUES)
      .map(
        ([value, count]) =>
          html`<li><a rel="nofollow" href="${withFilter(facet, value)}">${t.addFilter(label(facet, value), count)}</a></li>`,
      )}</ul></section>`;
  };

  const ownQuery = new URLSearchParams(kept);
  if (page > 1) ownQuery.set('page', String(page));
  const path = `/datasets/${ownQuery.size ? `?${ownQuery}` : ''}`;
  const text = kept.get('q') ?? '';
  return {
    kind: 'page',
    head: {
      title: text ? `${t.searchTitle} : ${text}` : t.datasets,
      description: t.searchTitle,
      path,
      // The unfiltered first page is the catalogue's entry; result pages are not for indexes.
      noindex: ownQuery.size > 0,
    },
    body: html`<h1>${t.searchTitle}</h1>
<form role="search" action="${localePath(language, '/datasets/')}" method="get">
<label for="search-q">${t.searchPlaceholder}</label>
<input id="search-q" type="search" name="q" value="${text}">
${FACETS.map((facet) => (kept.get(facet) ? html`<input type="hidden" name="${facet}" value="${kept.get(facet)}">` : ''))}
<button type="submit">${t.search}</button>
</form>
${
  active.length
    ? html`<section aria-labelledby="active-filters"><h2 id="active-filters">${t.activeFilters}</h2><ul>${active.map(
        (facet) =>
          html`<li>${facetTitle[facet]} : ${label(facet, kept.get(facet)!)} <a href="${withFilter(facet, null)}">${t.removeFilter(label(facet, kept.get(facet)!))}</a></li>`,
      )}</ul></section>`
    : ''
}
<p role="status">${t.results(results.total)}</p>
<div class="search-layout">
${results.total ? html`<nav class="facets" aria-labelledby="facets-title"><h2 id="facets-title">${t.filters}</h2>${FACETS.map(facetList)}</nav>` : ''}
<div>
${results.total === 0 ? html`<p>${t.noResults}</p>` : datasetCards(context, results.data)}
<nav class="pages" aria-label="${t.page(page)}">
${page > 1 ? html`<a rel="prev" href="${linkTo(page - 1)}">${t.previous}</a>` : ''}
${results.next_page ? html`<a rel="next" href="${linkTo(page + 1)}">${t.next}</a>` : ''}
</nav>
</div>
</div>`,
  };
}
