import { ReuseSchema, segment } from '../api';
import { html, safeUrl } from '../html';
import { plainExcerpt } from '../layout';
import type { PageResult, RenderContext } from '../page';
import { markdown, publisherLink, sitePath } from './common';

/** `/reuses/<slug>/`: what was made with which datasets, and where to see it. */
export async function reusePage(context: RenderContext, idOrSlug: string): Promise<PageResult> {
  const { t, api } = context;
  const reuse = await api(`/api/1/reuses/${segment(idOrSlug)}/`, ReuseSchema);
  const path = `/reuses/${segment(reuse.slug)}/`;
  const link = safeUrl(reuse.url);
  const image = safeUrl(reuse.image);
  return {
    kind: 'page',
    canonical: path,
    head: {
      title: reuse.title,
      description: plainExcerpt(reuse.description) || reuse.title,
      path,
      type: 'article',
      image,
    },
    body: html`<article>
<p class="meta">${t.reuseLabel}</p>
<h1>${reuse.title}</h1>
${reuse.organization || reuse.owner ? html`<p>${t.publishedBy} ${publisherLink(context, reuse)}</p>` : ''}
${image ? html`<img src="${image}" alt="" width="320">` : ''}
${link ? html`<p><a href="${link}" rel="nofollow noopener">${t.open}</a></p>` : ''}
<section>${markdown(reuse.description)}</section>
<section><h2>${t.linkedDatasets}</h2>
<ul>${reuse.datasets.map((dataset) => html`<li><a href="${sitePath(context, dataset.page)}">${dataset.title}</a></li>`)}</ul>
</section>
<p><a href="/admin/reuses/${segment(reuse.id)}/community">${t.discussReuse}</a></p>
</article>`,
  };
}
