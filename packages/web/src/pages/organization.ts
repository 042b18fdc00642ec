import { DatasetListSchema, OrganizationSchema, ReuseListSchema, segment } from '../api';
import { html, safeUrl } from '../html';
import { pageUrl, plainExcerpt } from '../layout';
import type { PageResult, RenderContext } from '../page';
import { withRelated } from '../related';
import { datasetCards, markdown, organizationName, reuseCards } from './common';

/** `/organizations/<slug>/`: who the organization is and what it publishes. */
export async function organizationPage(context: RenderContext, idOrSlug: string): Promise<PageResult> {
  const { t, api, language } = context;
  const [organization, [datasets, reuses]] = await withRelated(
    'organization',
    idOrSlug,
    api(`/api/1/organizations/${segment(idOrSlug)}/`, OrganizationSchema),
    (found) => found.id,
    (id) =>
      Promise.all([
        api(`/api/1/datasets/?organization=${segment(id)}&page_size=20`, DatasetListSchema),
        api(`/api/1/reuses/?organization=${segment(id)}&page_size=20`, ReuseListSchema),
      ]),
  );
  const path = `/organizations/${segment(organization.slug)}/`;
  const website = safeUrl(organization.url);
  const logo = safeUrl(organization.logo);
  return {
    kind: 'page',
    canonical: path,
    head: {
      title: organizationName(organization),
      description: plainExcerpt(organization.description) || organization.name,
      path,
      image: logo,
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'Organization',
        name: organization.name,
        url: pageUrl(context, language, path),
        ...(website ? { sameAs: website } : {}),
        ...(logo ? { logo } : {}),
      },
    },
    body: html`<article>
<p class="meta">${t.organizationLabel}</p>
<h1>${organizationName(organization)}</h1>
${website ? html`<p><a href="${website}" rel="nofollow noopener">${t.website}</a></p>` : ''}
<section>${markdown(organization.description)}</section>
<section><h2>${t.datasetsOf} (${datasets.total})</h2>${datasetCards(context, datasets.data)}</section>
<section><h2>${t.reusesOf} (${reuses.total})</h2>${reuseCards(context, reuses.data)}</section>
</article>`,
  };
}
