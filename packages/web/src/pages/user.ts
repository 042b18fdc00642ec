import { DatasetListSchema, ReuseListSchema, segment, UserSchema } from '../api';
import { html, safeUrl } from '../html';
import { formatDate, localePath } from '../i18n';
import { pageUrl, plainExcerpt } from '../layout';
import type { PageResult, RenderContext } from '../page';
import { withRelated } from '../related';
import { datasetCards, markdown, reuseCards } from './common';

/** `/users/<slug>/`: a producer's public profile and what they publish in their own name. */
export async function userPage(context: RenderContext, idOrSlug: string): Promise<PageResult> {
  const { t, api, language } = context;
  const [user, [datasets, reuses]] = await withRelated(
    'user',
    idOrSlug,
    api(`/api/1/users/${segment(idOrSlug)}/`, UserSchema),
    (found) => found.id,
    (id) =>
      Promise.all([
        api(`/api/1/datasets/?owner=${segment(id)}&page_size=20`, DatasetListSchema),
        api(`/api/1/reuses/?owner=${segment(id)}&page_size=20`, ReuseListSchema),
      ]),
  );
  const name = `${user.first_name} ${user.last_name}`.trim();
  const path = `/users/${segment(user.slug)}/`;
  const website = safeUrl(user.website);
  return {
    kind: 'page',
    canonical: path,
    head: {
      title: name,
      description: plainExcerpt(user.about ?? '') || name,
      path,
      type: 'website',
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'Person',
        name,
        url: pageUrl(context, language, path),
        ...(website ? { sameAs: website } : {}),
      },
    },
    body: html`<article>
<p class="meta">${t.userLabel}</p>
<h1>${name}</h1>
<p class="meta">${t.since} ${formatDate(language, user.since)}</p>
${website ? html`<p><a href="${website}" rel="nofollow noopener">${t.website}</a></p>` : ''}
${user.about ? html`<section>${markdown(user.about)}</section>` : ''}
${
  user.organizations.length
    ? html`<section><h2>${t.organizations}</h2><ul>${user.organizations.map(
        (organization) =>
          html`<li><a href="${localePath(language, `/organizations/${segment(organization.slug)}/`)}">${organization.name}</a></li>`,
      )}</ul></section>`
    : ''
}
<section><h2>${t.datasetsOf} (${datasets.total})</h2>${datasetCards(context, datasets.data)}</section>
<section><h2>${t.reusesOf} (${reuses.total})</h2>${reuseCards(context, reuses.data)}</section>
</article>`,
  };
}
