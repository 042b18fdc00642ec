import {
  type Checksum,
  type DatasetDraft,
  DEFAULT_FREQUENCY,
  ExtrasCollector,
  failedItem,
  finishDataset,
  formatFromRemote,
  frequencyFromRemote,
  geometryFromBbox,
  geometryFromGeoJson,
  guessLicense,
  type HarvestItem,
  lazySchema,
  type MappedResource,
  type MultiPolygon,
  mimeFromRemote,
  type ResourceType,
  remoteDateTime,
  skippedItem,
  temporalFromBounds,
} from '@portail/core';
import * as z from 'zod';
import { httpUrlOf } from '../dcat/map';
import { descriptionToMarkdown } from '../markdown';

/**
 * CKAN package dicts (package_search results, package_show results, DKAN's dialect) to harvest items.
 * Only the fields read are checked; everything else a package says is kept in `extras.ckan`.
 */

const text = /* @__PURE__ */ lazySchema(() =>
  z
    .union([z.string(), z.number(), z.boolean()])
    .nullish()
    .transform((value) => (value === null || value === undefined ? null : String(value).trim() || null)),
);

const CkanResourceSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: text,
      url: text,
      name: text,
      description: text,
      format: text,
      mimetype: text,
      size: text,
      hash: text,
      created: text,
      last_modified: text,
      resource_type: text,
      state: text,
    })
    .loose(),
);

const CkanTagSchema = /* @__PURE__ */ lazySchema(() =>
  z.union([z.object({ name: z.string(), display_name: z.string().nullish() }).loose(), z.string()]),
);

export const CkanPackageSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string().trim().min(1, 'The package has no id.'),
      name: text,
      title: text,
      notes: text,
      url: text,
      license_id: text,
      license_title: text,
      license_url: text,
      tags: z.array(CkanTagSchema).nullish(),
      extras: z.array(z.object({ key: z.string(), value: z.unknown() }).loose()).nullish(),
      resources: z.array(z.unknown()).nullish(),
      private: z.union([z.boolean(), z.string()]).nullish(),
      state: text,
      type: text,
      metadata_created: text,
      metadata_modified: text,
      author: text,
      maintainer: text,
      version: text,
      organization: z.object({ name: text, title: text }).loose().nullish(),
    })
    .loose(),
);
export type CkanPackage = z.infer<typeof CkanPackageSchema>;

export interface CkanMapOptions {
  /** The portal's base URL (remote URLs are `{portal}/dataset/{name}`). */
  portal: string;
  /** Harvest packages the remote marks private (off by default: they are skipped). */
  includePrivate?: boolean;
  now?: Date;
}

const FRENCH_DATE = /(\d{2})\/(\d{2})\/(\d{4})\s*-\s*(\d{2}):(\d{2})/;

/** CKAN dates (naive ISO, UTC) and DKAN's French ones (`mar, 10/12/2019 - 09:23`). */
export function ckanDate(value: string | null): string | null {
  if (!value) return null;
  const iso = remoteDateTime(value);
  if (iso) return iso;
  const french = FRENCH_DATE.exec(value);
  if (!french) return null;
  const [, day, month, year, hour, minute] = french;
  return remoteDateTime(`${year}-${month}-${day}T${hour}:${minute}:00`);
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  o: 1,
  octet: 1,
  octets: 1,
  byte: 1,
  bytes: 1,
  kb: 1000,
  ko: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mo: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  go: 1000 ** 3,
  gib: 1024 ** 3,
};

/** `1234`, `"42 octets"`, `"1.5 MB"` to bytes; null when unreadable. */
export function sizeInBytes(value: string | null): number | null {
  if (!value) return null;
  const match = /^(\d+(?:[.,]\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  if (!match) return null;
  const factor = UNITS[(match[2] ?? '').toLowerCase()];
  if (factor === undefined) return null;
  const bytes = Math.round(Number((match[1] ?? '').replace(',', '.')) * factor);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : null;
}

/** `md5:…`/`sha256:…` prefixes, else the algorithm told by the hex length. */
export function checksumOf(hash: string | null): Checksum | null {
  if (!hash) return null;
  const prefixed = /^(md5|sha1|sha256|sha2|crc)[:=](\S+)$/i.exec(hash);
  if (prefixed)
    return {
      type: (prefixed[1] ?? '').toLowerCase() as Checksum['type'],
      value: (prefixed[2] ?? '').slice(0, 256),
    };
  if (!/^[0-9a-f]+$/i.test(hash)) return null;
  const type =
    hash.length === 32 ? 'md5' : hash.length === 40 ? 'sha1' : hash.length === 64 ? 'sha256' : null;
  return type ? { type, value: hash.toLowerCase() } : null;
}

function resourceType(value: string | null): ResourceType {
  if (value === 'api') return 'api';
  if (value === 'documentation') return 'documentation';
  if (value === 'image' || value === 'visualization') return 'other';
  return 'main';
}

function titleFromUrl(url: string): string | null {
  const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  return last || null;
}

function mapResource(raw: unknown, warnings: string[]): MappedResource | null {
  const parsed = CkanResourceSchema.safeParse(raw);
  if (!parsed.success) {
    warnings.push('A resource is not an object CKAN describes: dropped.');
    return null;
  }
  const resource = parsed.data;
  if (resource.state && resource.state.toLowerCase() === 'deleted') return null;
  const url = httpUrlOf(resource.url);
  if (!url) {
    warnings.push(
      `Resource ${resource.name ?? resource.id ?? ''} dropped: "${resource.url ?? ''}" is not an http(s) URL.`.replace(
        '  ',
        ' ',
      ),
    );
    return null;
  }
  const extras = new ExtrasCollector(warnings);
  const size = sizeInBytes(resource.size);
  if (resource.size && size === null) extras.add('size', resource.size);
  const checksum = checksumOf(resource.hash);
  if (resource.hash && !checksum) extras.add('hash', resource.hash);
  const mime = mimeFromRemote(resource.mimetype);
  if (resource.mimetype && !mime) extras.add('mimetype', resource.mimetype);
  const format = formatFromRemote(resource.format) ?? (mime ? formatFromRemote(mime) : null);
  const collected = extras.toJson();
  return {
    remote_id: resource.id,
    url,
    title:
      resource.name ??
      titleFromUrl(url) ??
      (format ? `${format.toUpperCase()} resource` : 'Nameless resource'),
    description: descriptionToMarkdown(resource.description) || null,
    format,
    mime,
    filesize: size,
    checksum,
    type: resourceType(resource.resource_type),
    issued_at: ckanDate(resource.created),
    modified_at: ckanDate(resource.last_modified),
    extras: Object.keys(collected).length ? { ckan: collected } : {},
  };
}

const FREQUENCY_KEYS = [
  'frequency',
  'accrual_periodicity',
  'frequency-of-update',
  'update_frequency',
  'frequence',
];
const TEMPORAL_START = [
  'temporal_start',
  'temporal-extent-begin',
  'temporal_coverage-from',
  'temporal_coverage_from',
];
const TEMPORAL_END = ['temporal_end', 'temporal-extent-end', 'temporal_coverage-to', 'temporal_coverage_to'];
const BBOX = ['bbox-west-long', 'bbox-south-lat', 'bbox-east-long', 'bbox-north-lat'];

function extraText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    // Scheming portals store repeated fields as JSON lists in a string: `["1982"]`.
    if (/^\[.*\]$/s.test(trimmed)) {
      try {
        const list: unknown = JSON.parse(trimmed);
        if (Array.isArray(list) && list.length === 1 && typeof list[0] === 'string')
          return list[0].trim() || null;
        if (Array.isArray(list) && list.length === 0) return null;
      } catch {
        // Not JSON after all: kept as written.
      }
    }
    return trimmed || null;
  }
  if (Array.isArray(value) && value.length === 1) return extraText(value[0]);
  return JSON.stringify(value);
}

/** Maps one package dict; returns a skipped item for what is deliberately not harvested. */
export function mapCkanPackage(raw: unknown, options: CkanMapOptions): HarvestItem {
  const loose = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const guessId = typeof loose.id === 'string' ? loose.id : null;
  const parsed = CkanPackageSchema.safeParse(raw);
  if (!parsed.success) return failedItem(guessId, null, parsed.error);
  const pkg = parsed.data;
  const portal = options.portal.replace(/\/+$/, '');
  const remoteUrl = `${portal}/dataset/${encodeURIComponent(pkg.name ?? pkg.id)}`;

  if (pkg.type && pkg.type.toLowerCase() !== 'dataset')
    return skippedItem(pkg.id, remoteUrl, `Not a dataset (type "${pkg.type}").`);
  if (pkg.state && !['active'].includes(pkg.state.toLowerCase()))
    return skippedItem(pkg.id, remoteUrl, `The package is ${pkg.state.toLowerCase()} on the remote portal.`);
  const isPrivate = pkg.private === true || pkg.private === 'true' || pkg.private === 'True';
  if (isPrivate && !options.includePrivate)
    return skippedItem(pkg.id, remoteUrl, 'The package is private on the remote portal.');

  const warnings: string[] = [];
  const extras = new ExtrasCollector(warnings);
  const resources = (pkg.resources ?? [])
    .map((resource) => mapResource(resource, warnings))
    .filter((resource): resource is MappedResource => resource !== null);
  if (!resources.length)
    return skippedItem(pkg.id, remoteUrl, 'The package has no resource with a usable URL.');

  // Extras as a map (DKAN and scheming portals also put some at the top level).
  const extraMap = new Map<string, string>();
  for (const extra of pkg.extras ?? []) {
    const value = extraText(extra.value);
    if (value !== null) extraMap.set(extra.key, value);
  }
  for (const key of [...FREQUENCY_KEYS, ...TEMPORAL_START, ...TEMPORAL_END, 'spatial']) {
    const value = extraText(loose[key]);
    if (value !== null && !extraMap.has(key)) extraMap.set(key, value);
  }
  const used = new Set<string>();
  const take = (keys: readonly string[]) => {
    for (const key of keys) {
      const value = extraMap.get(key);
      if (value !== undefined) {
        used.add(key);
        return value;
      }
    }
    return null;
  };

  const frequencyText = take(FREQUENCY_KEYS);
  const frequency = frequencyText ? frequencyFromRemote(frequencyText) : null;
  if (frequencyText && !frequency)
    used.delete(FREQUENCY_KEYS.find((key) => extraMap.get(key) === frequencyText) ?? '');

  const temporal = temporalFromBounds(take(TEMPORAL_START), take(TEMPORAL_END));
  const issued = ckanDate(take(['dcat_issued', 'issued']));

  let geom: MultiPolygon | null = null;
  const spatial = take(['spatial']);
  if (spatial) {
    geom = geometryFromGeoJson(spatial);
    if (!geom) {
      used.delete('spatial');
      warnings.push('The spatial extra is not a GeoJSON Polygon or MultiPolygon: kept in extras only.');
    }
  }
  if (!geom && BBOX.every((key) => extraMap.has(key))) {
    geom = geometryFromBbox(BBOX.map((key) => extraMap.get(key)).join(','));
    if (geom) for (const key of BBOX) used.add(key);
  }

  for (const [key, value] of extraMap) if (!used.has(key)) extras.add(key, value);
  for (const key of [
    'author',
    'maintainer',
    'version',
    'url',
    'license_id',
    'license_title',
    'license_url',
  ] as const) {
    extras.add(key, pkg[key]);
  }
  if (pkg.organization?.name) extras.add('organization', pkg.organization.title ?? pkg.organization.name);
  if (isPrivate) extras.add('private', 'true');

  const license = guessLicense([pkg.license_id, pkg.license_url, pkg.license_title]);
  const tags = (pkg.tags ?? []).map((tag) => (typeof tag === 'string' ? tag : tag.name));
  const collected = extras.toJson();
  const draft: DatasetDraft = {
    remote_id: pkg.id,
    remote_url: remoteUrl,
    uri: null,
    dct_identifier: null,
    title: pkg.title ?? pkg.name ?? pkg.id,
    description: descriptionToMarkdown(pkg.notes),
    rawTags: tags,
    license: license ?? 'notspecified',
    frequency: frequency ?? DEFAULT_FREQUENCY,
    temporal_coverage: temporal,
    spatial: geom ? { zones: [], geom } : null,
    created_at: ckanDate(pkg.metadata_created),
    issued_at: issued,
    modified_at: ckanDate(pkg.metadata_modified),
    resources,
    extras: Object.keys(collected).length ? { ckan: collected } : {},
    warnings,
  };
  return finishDataset(draft, options.now);
}
