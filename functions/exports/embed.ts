import type { Caller } from '@portail/core';
import {
  CARD_HEIGHT,
  CARD_WIDTH,
  CATALOG_TITLE,
  datasetCardHtml,
  datasetCardPage,
  NotFoundError,
  type PublicUrls,
  producerName,
  ValidationError,
} from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import type { exportRoutes } from './routes';

/** A public dataset for a card: private ones never become cards, whoever asks. */
async function cardDataset(caller: Caller, idOrSlug: string) {
  const found = await loadDataset(caller, idOrSlug, 'read');
  if (found.dataset.private)
    throw new NotFoundError(`Dataset "${idOrSlug}" is private: private datasets have no card.`);
  return found;
}

export const getDatasetEmbed: RouteHandler<typeof exportRoutes.getDatasetEmbed> = async ({
  params,
  caller,
  urls,
}) => {
  const { dataset, resources } = await cardDataset(caller, params.dataset);
  return {
    status: 200,
    rawBody: datasetCardPage(dataset, resources, urls),
    contentType: 'text/html; charset=utf-8',
    // Meant to be framed by any site; it runs nothing and loads nothing.
    headers: {
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    },
  };
};

/** The dataset a URL names, when it is one of Portail's: its page, its API URL or its card. */
export function datasetOfUrl(value: string, urls: PublicUrls): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const origins = new Set([new URL(urls.api).origin, new URL(urls.site).origin]);
  if (!origins.has(url.origin)) return null;
  const match = url.pathname.match(/^\/(?:api\/1\/datasets|datasets|embed\/datasets)\/([^/]+)\/?$/);
  if (!match) return null;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  return id && id !== '.' && id !== '..' ? id : null;
}

export const getOembed: RouteHandler<typeof exportRoutes.getOembed> = async ({ query, caller, urls }) => {
  const idOrSlug = datasetOfUrl(query.url, urls);
  if (!idOrSlug)
    throw ValidationError.field(
      'url',
      `Not the URL of a dataset of this portal (${urls.site}/datasets/{id or slug}/).`,
    );
  const { dataset, resources } = await cardDataset(caller, idOrSlug);
  const width = Math.min(CARD_WIDTH, query.maxwidth ?? CARD_WIDTH);
  const height = Math.min(CARD_HEIGHT, query.maxheight ?? CARD_HEIGHT);
  const publisher = dataset.publisher;
  return {
    status: 200,
    body: {
      type: 'rich',
      version: '1.0',
      title: dataset.title,
      author_name: producerName(dataset),
      author_url:
        publisher.kind === 'organization'
          ? `${urls.site}/organizations/${publisher.slug}/`
          : `${urls.site}/users/${publisher.slug}/`,
      provider_name: CATALOG_TITLE,
      provider_url: `${urls.site}/`,
      html: datasetCardHtml(dataset, resources, urls),
      width,
      height,
      ...(query.maxwidth !== undefined ? { maxwidth: query.maxwidth } : {}),
      ...(query.maxheight !== undefined ? { maxheight: query.maxheight } : {}),
    },
  };
};
