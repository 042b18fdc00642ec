import { type Dataset, DatasetSchema, type Discussion, DiscussionListSchema, segment } from '../api';
import { type Html, html } from '../html';
import { formatBytes, formatDate, localePath } from '../i18n';
import { datasetJsonLd } from '../json-ld';
import { pageUrl, plainExcerpt } from '../layout';
import { lookups } from '../lookups';
import type { PageResult, RenderContext } from '../page';
import { withRelated } from '../related';
import { markdown, publisherLink } from './common';

/** `/datasets/<slug>/`: what the dataset is, who publishes it, its files, and its schema.org description. */
export async function datasetPage(context: RenderContext, idOrSlug: string): Promise<PageResult> {
  const { t, language, api } = context;
  // The discussions name the dataset by id: read beside the dataset when its id is known (related.ts).
  // Their anchors are the targets of the API's discussion permalinks (`/datasets/<id>/#discussion-<id>`).
  const [[dataset, labels], discussions] = await withRelated(
    'dataset',
    idOrSlug,
    Promise.all([api(`/api/1/datasets/${segment(idOrSlug)}/`, DatasetSchema), lookups(api, context.apiUrl)]),
    ([found]) => found.id,
    (id) => api(`/api/1/discussions/?for=${segment(id)}&page_size=20`, DiscussionListSchema),
  );
  const path = `/datasets/${segment(dataset.slug)}/`;
  const license = labels.license(dataset.license);
  const coverage = dataset.temporal_coverage;
  const granularity = labels.granularity(dataset.spatial?.granularity);
  const zones = dataset.spatial?.zones ?? [];
  const summary = dataset.description_short || plainExcerpt(dataset.description) || dataset.title;
  const body = html`<article>
<p class="meta">${t.datasetLabel}</p>
<h1>${dataset.title}${dataset.acronym ? html` <abbr>(${dataset.acronym})</abbr>` : ''}</h1>
${dataset.organization || dataset.owner ? html`<p>${t.publishedBy} ${publisherLink(context, dataset)}</p>` : ''}
<section>${markdown(dataset.description)}</section>
${
  dataset.tags.length
    ? html`<section><h2>${t.tags}</h2><ul class="tags">${dataset.tags.map(
        (tag) =>
          html`<li><a href="${localePath(language, `/datasets/?tag=${encodeURIComponent(tag)}`)}">${tag}</a></li>`,
      )}</ul></section>`
    : ''
}
<section>
<h2>${t.resources}</h2>
${
  dataset.resources.length
    ? html`<table><thead><tr><th scope="col">${t.resources}</th><th scope="col">${t.format}</th><th scope="col">${t.size}</th><th scope="col">${t.lastUpdate}</th><th scope="col"></th></tr></thead><tbody>
${dataset.resources.map(
  (resource) => html`<tr>
<td>${resource.title}</td><td>${resource.format ?? ''}</td><td>${formatBytes(language, resource.filesize)}</td><td>${formatDate(language, resource.last_modified)}</td>
<td><a href="${resource.latest}" rel="nofollow">${t.download}<span class="skip"> ${resource.title}</span></a></td>
</tr>`,
)}</tbody></table>`
    : html`<p>${t.noResources}</p>`
}
</section>
<section>
<h2>${t.datasetLabel}</h2>
<dl class="facts">
<dt>${t.license}</dt><dd>${license.url ? html`<a href="${license.url}" rel="license">${license.title}</a>` : license.title}</dd>
<dt>${t.frequency}</dt><dd>${labels.frequency(dataset.frequency)}</dd>
${coverage ? html`<dt>${t.temporalCoverage}</dt><dd>${coverage.end ? `${formatDate(language, coverage.start)} – ${formatDate(language, coverage.end)}` : `${t.from} ${formatDate(language, coverage.start)}`}</dd>` : ''}
${zones.length ? html`<dt>${t.spatialCoverage}</dt><dd>${zones.join(', ')}</dd>` : ''}
${granularity ? html`<dt>${t.granularity}</dt><dd>${granularity}</dd>` : ''}
<dt>${t.lastUpdate}</dt><dd><time datetime="${dataset.last_update}">${formatDate(language, dataset.last_update)}</time></dd>
<dt>${t.created}</dt><dd><time datetime="${dataset.created_at}">${formatDate(language, dataset.created_at)}</time></dd>
<dt>${t.api}</dt><dd><a href="${dataset.uri}">${dataset.uri}</a></dd>
</dl>
</section>
<section aria-labelledby="take-part">
<h2 id="take-part">${t.takePart}</h2>
<p>${t.takePartIntro}</p>
<ul class="actions">
<li><a href="/admin/datasets/${segment(dataset.id)}/community">${t.followAndDiscuss}</a></li>
<li><a href="/admin/reuses/new?dataset=${segment(dataset.id)}">${t.declareReuse}</a></li>
</ul>
</section>
<section aria-labelledby="discussions">
<h2 id="discussions">${t.discussions}</h2>
${discussions.data.length ? discussions.data.map((discussion) => discussionBlock(context, discussion)) : html`<p>${t.noDiscussions}</p>`}
</section>
</article>`;
  return {
    kind: 'page',
    canonical: path,
    head: {
      title: dataset.title,
      description: summary,
      path,
      type: 'article',
      jsonLd: datasetJsonLd(
        dataset,
        pageUrl(context, language, path),
        labels,
        searchDescription(context, dataset, license.title, labels.frequency(dataset.frequency)),
      ),
    },
    body,
  };
}

/**
 * The JSON-LD description: dataset search engines want 50 to 5,000 characters. A shorter one is
 * completed with what the page says of the dataset (its kind, publisher, license and frequency).
 */
function searchDescription(
  context: RenderContext,
  dataset: Dataset,
  license: string,
  frequency: string,
): string {
  const text = plainExcerpt(dataset.description, 5000) || dataset.title;
  if (text.length >= 50) return text;
  const publisher = dataset.organization
    ? dataset.organization.name
    : dataset.owner
      ? `${dataset.owner.first_name} ${dataset.owner.last_name}`.trim()
      : context.t.siteName;
  const { t } = context;
  return `${text} — ${t.datasetLabel} · ${t.publishedBy} ${publisher} · ${t.license} : ${license} · ${t.frequency} : ${frequency}`;
}

function discussionBlock(context: RenderContext, discussion: Discussion): Html {
  const { t, language } = context;
  return html`<article class="discussion" id="discussion-${discussion.id}">
<h3>${discussion.title}${discussion.closed ? html` <span class="meta">(${t.closedDiscussion})</span>` : ''}</h3>
<ol>${discussion.discussion.map(
    (comment) => html`<li id="discussion-${discussion.id}-${comment.id}">
<p class="meta">${t.postedBy} ${comment.posted_by.first_name} ${comment.posted_by.last_name}${comment.posted_by_organization ? ` (${comment.posted_by_organization.name})` : ''}, <time datetime="${comment.posted_on}">${formatDate(language, comment.posted_on)}</time></p>
${markdown(comment.content)}
</li>`,
  )}</ol>
</article>`;
}
