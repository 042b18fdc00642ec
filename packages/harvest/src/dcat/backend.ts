import {
  type HarvestBackend,
  type HarvestCursor,
  type HarvestFetch,
  type HarvestItem,
  type HarvestPage,
  HarvestPageError,
  type HarvestSourceConfig,
  lazySchema,
} from '@portail/core';
import * as z from 'zod';
import { fetchPage } from '../fetch-page';
import { loadMarkdownConverter } from '../markdown';
import { Graph } from '../rdf/graph';
import { NS } from '../rdf/namespaces';
import { parseRdf, RDF_ACCEPT, RdfParseError } from '../rdf/parse';
import { type DcatMapOptions, mapDcatGraph } from './map';

/**
 * DCAT catalogues, page by page: the cursor is the next page's URL, found in the page itself through
 * Hydra (`hydra:PartialCollectionView` → `hydra:next`, or the legacy `hydra:PagedCollection` →
 * `hydra:nextPage`, as an IRI or a literal).
 */

export const MAX_DCAT_PAGES = 100_000;

const CursorSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ url: z.string().url(), page: z.number().int().min(1) }),
);

export function encodeDcatCursor(cursor: z.infer<typeof CursorSchema>): HarvestCursor {
  return JSON.stringify(cursor);
}

function decodeCursor(cursor: HarvestCursor): z.infer<typeof CursorSchema> {
  try {
    return CursorSchema.parse(JSON.parse(cursor));
  } catch {
    throw new HarvestPageError('The saved position in the catalogue is unreadable.', false);
  }
}

export interface HydraPaging {
  next: string | null;
  total: number | null;
}

/** The next page and the announced total, read from the page's Hydra nodes. */
export function hydraPaging(graph: Graph, pageUrl: string): HydraPaging {
  const resolve = (value: string | undefined) => {
    if (!value || !URL.canParse(value.trim(), pageUrl)) return null;
    return new URL(value.trim(), pageUrl).href;
  };
  const totalOf = (values: string[]) => {
    const number = values
      .map((value) => Number(value))
      .find((value) => Number.isInteger(value) && value >= 0);
    return number ?? null;
  };
  const views = graph.ofType(`${NS.hydra}PartialCollectionView`);
  if (views.length) {
    const next = views.map((view) => graph.values(view, `${NS.hydra}next`)[0]).find(Boolean);
    const collections = graph.ofType(`${NS.hydra}Collection`, `${NS.dcat}Catalog`);
    const total = totalOf(
      collections.flatMap((collection) => graph.values(collection, `${NS.hydra}totalItems`)),
    );
    return { next: resolve(next), total };
  }
  const paged = graph.ofType(`${NS.hydra}PagedCollection`);
  if (paged.length) {
    const next = paged.map((node) => graph.values(node, `${NS.hydra}nextPage`)[0]).find(Boolean);
    const total = totalOf(paged.flatMap((node) => graph.values(node, `${NS.hydra}totalItems`)));
    return { next: resolve(next), total };
  }
  return { next: null, total: null };
}

/** Parses and maps one fetched catalogue document. */
export async function readDcatDocument(
  input: { body: Uint8Array; contentType: string | null; url: string },
  options: DcatMapOptions = {},
): Promise<{ items: HarvestItem[]; paging: HydraPaging }> {
  let graph: Graph;
  try {
    graph = new Graph((await parseRdf(input)).quads);
  } catch (error) {
    if (error instanceof RdfParseError) throw new HarvestPageError(error.message, false);
    throw error;
  }
  await loadMarkdownConverter();
  return { items: mapDcatGraph(graph, options), paging: hydraPaging(graph, input.url) };
}

export async function readDcatPage(
  firstUrl: string,
  cursor: HarvestCursor | null,
  fetch: HarvestFetch,
  options: DcatMapOptions = {},
): Promise<HarvestPage> {
  const position = cursor ? decodeCursor(cursor) : { url: firstUrl, page: 1 };
  const response = await fetchPage(fetch, position.url, RDF_ACCEPT);
  const { items, paging } = await readDcatDocument(
    { body: response.body, contentType: response.contentType, url: response.url },
    options,
  );
  const truncated: string[] = [];
  let next: HarvestCursor | null = null;
  if (paging.next) {
    if (paging.next === position.url || paging.next === response.url) {
      truncated.push(`Page ${position.page} names itself as the next page: the listing stops there.`);
    } else if (position.page >= MAX_DCAT_PAGES) {
      truncated.push(`The catalogue has more than ${MAX_DCAT_PAGES} pages: the rest is not read.`);
    } else {
      next = encodeDcatCursor({ url: paging.next, page: position.page + 1 });
    }
  }
  return { items, next, truncated, total: paging.total, url: position.url };
}

export const dcatBackend: HarvestBackend = {
  kind: 'dcat',
  readPage: (source: HarvestSourceConfig, cursor, fetch) => readDcatPage(source.url, cursor, fetch),
};
