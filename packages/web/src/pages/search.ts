import { DatasetListSchema } from '../api';
import { html } from '../html';
import { localePath } from '../i18n';
import type { PageResult, RenderContext } from '../page';
import { datasetCards } from './common';

/** The query parameters the search page passes on to `GET /api/1/datasets/`. */
const PASSED = ['q', 'tag', 'organization', 'owner', 'license', 'format', 'sort'] as const;
const PAGE_SIZE = 20;

/** `/datasets/?q=…`: the API's dataset search, as a page with links to the next and previous pages. */
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
  const results = await api(`/api/1/datasets/?${apiQuery}`, DatasetListSchema);
  const linkTo = (target: number) => {
    const params = new URLSearchParams(kept);
    if (target > 1) params.set('page', String(target));
    const search = params.toString();
    return localePath(language, `/datasets/${search ? `?${search}` : ''}`);
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
${kept.get('tag') ? html`<input type="hidden" name="tag" value="${kept.get('tag')}">` : ''}
<button type="submit">${t.search}</button>
</form>
<p role="status">${t.results(results.total)}</p>
${results.total === 0 ? html`<p>${t.noResults}</p>` : datasetCards(context, results.data)}
<nav class="pages" aria-label="${t.page(page)}">
${page > 1 ? html`<a rel="prev" href="${linkTo(page - 1)}">${t.previous}</a>` : ''}
${results.next_page ? html`<a rel="next" href="${linkTo(page + 1)}">${t.next}</a>` : ''}
</nav>`,
  };
}
