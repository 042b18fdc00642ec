import {
  type DatasetDraft,
  DEFAULT_FREQUENCY,
  ExtrasCollector,
  failedItem,
  finishDataset,
  guessLicense,
  type HarvestBackend,
  type HarvestCursor,
  type HarvestFetch,
  type HarvestFilter,
  type HarvestItem,
  type HarvestPage,
  HarvestPageError,
  type HarvestSourceConfig,
  lazySchema,
  type MappedResource,
  mimeFromRemote,
  remoteDateTime,
  skippedItem,
} from '@portail/core';
import * as z from 'zod';
import { readDcatPage } from '../dcat/backend';
import { fetchPage, parseJsonBody } from '../fetch-page';
import { descriptionToMarkdown, loadMarkdownConverter } from '../markdown';

/**
 * Opendatasoft portals. By default through their DCAT export (API v2.1), as data.gouv.fr does since
 * 2024: the catalogue is one document, read by the DCAT backend. With the `api_v1` feature, through the
 * legacy search API (`/api/datasets/1.0/search/`, `start`/`rows`), mapped as udata's former
 * Opendatasoft backend did: record exports (CSV, JSON, and GeoJSON/shapefile for geographic data),
 * attachments and alternative exports as resources.
 */

export const ODS_V1_ROWS = 50;
/** Opendatasoft refuses shapefile exports beyond this many records. */
export const SHAPEFILE_MAX_RECORDS = 50_000;

const LICENSE_LABELS: Record<string, string> = {
  'Open Database License (ODbL)': 'odc-odbl',
  'Licence Ouverte (Etalab)': 'fr-lo',
  'Licence ouverte / Open Licence': 'fr-lo',
  'CC BY-SA': 'cc-by-sa',
  'Public Domain': 'other-pd',
};

export function odsPortal(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/(api|explore)(\/.*)?$/, '');
}

function quoted(value: string): string {
  return `"${value.replace(/"/g, '\\"')}"`;
}

/** The v2.1 DCAT export URL, with filters as an ODSQL `where`. */
export function odsDcatUrl(source: HarvestSourceConfig): string {
  const url = new URL(`${odsPortal(source.url)}/api/explore/v2.1/catalog/exports/dcat`);
  url.searchParams.set('include_exports', 'csv,json,geojson,shp');
  url.searchParams.set('lang', 'fr');
  const clauses = source.filters.map((filter) => {
    const field = filter.key === 'tags' ? 'keyword' : filter.key;
    if (!/^[a-z_][\w.]*$/i.test(field))
      throw new HarvestPageError(`"${filter.key}" is not an Opendatasoft field.`, false);
    const clause = `${field}=${quoted(filter.value)}`;
    return filter.type === 'exclude' ? `NOT ${clause}` : clause;
  });
  if (clauses.length) url.searchParams.set('where', clauses.join(' AND '));
  return url.href;
}

export function odsV1SearchUrl(source: HarvestSourceConfig, start: number): string {
  const url = new URL(`${odsPortal(source.url)}/api/datasets/1.0/search/`);
  url.searchParams.set('start', String(start));
  url.searchParams.set('rows', String(Math.min(source.page_size, ODS_V1_ROWS * 2)));
  url.searchParams.set('interopmetas', 'true');
  for (const filter of filters(source.filters)) url.searchParams.append(filter[0], filter[1]);
  return url.href;
}

function filters(list: readonly HarvestFilter[]): [string, string][] {
  return list.map((filter) => {
    const facet = filter.key === 'tags' ? 'keyword' : filter.key;
    if (!/^[a-z_][\w.]*$/i.test(facet))
      throw new HarvestPageError(`"${filter.key}" is not an Opendatasoft facet.`, false);
    return [`${filter.type === 'exclude' ? 'exclude' : 'refine'}.${facet}`, filter.value];
  });
}

const stringList = /* @__PURE__ */ lazySchema(() =>
  z
    .union([z.string(), z.array(z.string())])
    .nullish()
    .transform((value) =>
      value === null || value === undefined ? [] : typeof value === 'string' ? [value] : value,
    ),
);

const FileSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      title: z.string().nullish(),
      url: z.string().nullish(),
      mimetype: z.string().nullish(),
      description: z.string().nullish(),
    })
    .loose(),
);

export const OdsDatasetSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      datasetid: z.string().trim().min(1),
      metas: z
        .object({
          title: z.string().nullish(),
          description: z.string().nullish(),
          keyword: stringList,
          theme: stringList,
          license: z.string().nullish(),
          modified: z.string().nullish(),
          records_count: z.number().nullish(),
          publisher: z.string().nullish(),
          language: z.string().nullish(),
          references: z.string().nullish(),
        })
        .loose(),
      interop_metas: z.object({ inspire: z.unknown().optional() }).loose().nullish(),
      has_records: z.boolean().nullish(),
      features: z.array(z.string()).nullish(),
      fields: z
        .array(
          z.object({ name: z.string(), label: z.string().nullish(), type: z.string().nullish() }).loose(),
        )
        .nullish(),
      attachments: z.array(FileSchema).nullish(),
      alternative_exports: z.array(FileSchema).nullish(),
    })
    .loose(),
);

export interface OdsMapOptions {
  portal: string;
  /** Harvest datasets that carry INSPIRE metadata too (they are usually harvested from the INSPIRE source). */
  inspire?: boolean;
  now?: Date;
}

const EXPORTS: { format: string; title: string; mime: string | null }[] = [
  { format: 'csv', title: 'CSV format export', mime: 'text/csv' },
  { format: 'json', title: 'JSON format export', mime: 'application/json' },
  { format: 'geojson', title: 'GeoJSON format export', mime: 'application/vnd.geo+json' },
  { format: 'shp', title: 'Shapefile format export', mime: null },
];

/** One dataset of the v1 API. */
export function mapOdsV1Dataset(raw: unknown, options: OdsMapOptions): HarvestItem {
  const id = typeof raw === 'object' && raw !== null ? (raw as { datasetid?: unknown }).datasetid : undefined;
  const parsed = OdsDatasetSchema.safeParse(raw);
  if (!parsed.success) return failedItem(typeof id === 'string' ? id : null, null, parsed.error);
  const dataset = parsed.data;
  const portal = odsPortal(options.portal);
  const encodedId = encodeURIComponent(dataset.datasetid);
  const remoteUrl = `${portal}/explore/dataset/${encodedId}/`;
  const attachments = dataset.attachments ?? [];
  const alternatives = dataset.alternative_exports ?? [];
  if (!dataset.has_records && !attachments.length && !alternatives.length)
    return skippedItem(
      dataset.datasetid,
      remoteUrl,
      'The dataset has no data (no records, attachments or exports).',
    );
  if (dataset.interop_metas?.inspire && !options.inspire)
    return skippedItem(
      dataset.datasetid,
      remoteUrl,
      'INSPIRE dataset: harvested from its INSPIRE source instead.',
    );

  const warnings: string[] = [];
  const extras = new ExtrasCollector(warnings);
  const metas = dataset.metas;
  const features = dataset.features ?? [];
  const resources: MappedResource[] = [];
  if (dataset.has_records) {
    const fieldList = (dataset.fields ?? [])
      .map((field) => `- *${field.label ?? field.name}*: ${field.name}[${field.type ?? 'text'}]`)
      .join('\n');
    const description = fieldList ? `Fields:\n\n${fieldList}` : null;
    const geo = features.includes('geo');
    for (const exported of EXPORTS) {
      if ((exported.format === 'geojson' || exported.format === 'shp') && !geo) continue;
      if (exported.format === 'shp' && (metas.records_count ?? 0) > SHAPEFILE_MAX_RECORDS) {
        warnings.push(`No shapefile export: more than ${SHAPEFILE_MAX_RECORDS} records.`);
        continue;
      }
      resources.push({
        remote_id: `${dataset.datasetid}:export:${exported.format}`,
        url: `${portal}/explore/dataset/${encodedId}/download?format=${exported.format}&timezone=Europe/Berlin&use_labels_for_header=false`,
        title: exported.title,
        description,
        format: exported.format,
        mime: exported.mime,
        filesize: null,
        checksum: null,
        type: 'main',
        issued_at: null,
        modified_at: remoteDateTime(metas.modified),
        extras: {},
      });
    }
  }
  for (const [kind, files] of [
    ['attachments', attachments],
    ['alternative_exports', alternatives],
  ] as const) {
    for (const file of files) {
      const mime = mimeFromRemote(file.mimetype);
      resources.push({
        remote_id: `${dataset.datasetid}:${kind}:${file.id}`,
        url: `${portal}/api/datasets/1.0/${encodedId}/${kind}/${encodeURIComponent(file.id)}/`,
        title: file.title?.trim() || file.id,
        description: descriptionToMarkdown(file.description) || null,
        format: file.id.includes('_') ? (file.id.split('_').pop() ?? null) : null,
        mime,
        filesize: null,
        checksum: null,
        type: kind === 'attachments' ? 'documentation' : 'main',
        issued_at: null,
        modified_at: null,
        extras: {},
      });
    }
  }

  const themes = metas.theme.flatMap((theme) => theme.split(',')).map((theme) => theme.trim().toLowerCase());
  const keywords = metas.keyword.map((keyword) => keyword.trim().toLowerCase());
  const license = metas.license ? (LICENSE_LABELS[metas.license] ?? guessLicense([metas.license])) : null;
  extras.add('license', metas.license ?? null);
  extras.add('publisher', metas.publisher ?? null);
  extras.add('language', metas.language ?? null);
  extras.add('references', metas.references ?? null);
  extras.add('features', features);
  const collected = extras.toJson();
  const draft: DatasetDraft = {
    remote_id: dataset.datasetid,
    remote_url: remoteUrl,
    uri: null,
    dct_identifier: null,
    title: metas.title?.trim() || dataset.datasetid,
    description: descriptionToMarkdown(metas.description),
    rawTags: [...keywords, ...themes],
    license: license ?? 'notspecified',
    frequency: DEFAULT_FREQUENCY,
    temporal_coverage: null,
    spatial: null,
    created_at: null,
    issued_at: null,
    modified_at: remoteDateTime(metas.modified),
    resources,
    extras: Object.keys(collected).length ? { ods: collected } : {},
    warnings,
  };
  return finishDataset(draft, options.now);
}

const V1SearchSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ nhits: z.number().int().min(0), datasets: z.array(z.unknown()) }),
);
const V1CursorSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    start: z.number().int().min(0),
    nhits: z.number().int().min(0).nullable(),
  }),
);

export async function readOdsV1Page(
  source: HarvestSourceConfig,
  cursor: HarvestCursor | null,
  fetch: HarvestFetch,
  now?: Date,
): Promise<HarvestPage> {
  let position: z.infer<typeof V1CursorSchema> = { start: 0, nhits: null };
  if (cursor) {
    try {
      position = V1CursorSchema.parse(JSON.parse(cursor));
    } catch {
      throw new HarvestPageError('The saved position in the catalogue is unreadable.', false);
    }
  }
  const url = odsV1SearchUrl(source, position.start);
  const response = await fetchPage(fetch, url, 'application/json');
  const parsed = V1SearchSchema.safeParse(parseJsonBody(response));
  if (!parsed.success)
    throw new HarvestPageError(`${url} did not answer an Opendatasoft search result.`, false);
  const { nhits, datasets } = parsed.data;
  const portal = odsPortal(source.url);
  await loadMarkdownConverter();
  const items = datasets.map((raw) => {
    try {
      return mapOdsV1Dataset(raw, { portal, inspire: source.features.inspire === true, now });
    } catch (error) {
      const id =
        typeof raw === 'object' && raw !== null ? (raw as { datasetid?: unknown }).datasetid : undefined;
      return failedItem(typeof id === 'string' ? id : null, null, error);
    }
  });
  const truncated: string[] = [];
  if (position.nhits !== null && position.nhits !== nhits)
    truncated.push(`The catalogue changed while it was read (${position.nhits} then ${nhits} datasets).`);
  const nextStart = position.start + datasets.length;
  const next =
    datasets.length > 0 && nextStart < nhits
      ? JSON.stringify({ start: nextStart, nhits: position.nhits ?? nhits })
      : null;
  if (datasets.length === 0 && position.start < nhits)
    truncated.push(
      `The catalogue announced ${nhits} datasets but returned none from position ${position.start}.`,
    );
  return { items, next, truncated, total: nhits, url };
}

export const odsBackend: HarvestBackend = {
  kind: 'ods',
  readPage: (source, cursor, fetch) =>
    source.features.api_v1 === true
      ? readOdsV1Page(source, cursor, fetch)
      : readDcatPage(odsDcatUrl(source), cursor, fetch),
};
