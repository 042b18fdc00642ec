import { DatasetListSchema } from '../api';
import { html } from '../html';
import { localePath } from '../i18n';
import { pageUrl } from '../layout';
import type { PageResult, RenderContext } from '../page';
import { datasetCards } from './common';

/** `/`: a search box and the datasets updated last. */
export async function homePage(context: RenderContext): Promise<PageResult> {
  const { t, api, language } = context;
  const latest = await api('/api/1/datasets/?sort=-last_update&page_size=10', DatasetListSchema);
  return {
    kind: 'page',
    canonical: '/',
    head: {
      title: t.tagline,
      description: t.tagline,
      path: '/',
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'WebSite',
        name: t.siteName,
        url: pageUrl(context, language, '/'),
        potentialAction: {
          '@type': 'SearchAction',
          target: `${pageUrl(context, language, '/datasets/')}?q={search_term_string}`,
          'query-input': 'required name=search_term_string',
        },
      },
    },
    body: html`<h1>${t.siteName}</h1>
<p>${t.tagline}</p>
<section><h2>${t.latestDatasets}</h2>${datasetCards(context, latest.data)}
<p><a href="${localePath(language, '/datasets/')}">${t.datasets} →</a></p></section>`,
  };
}
