import { randomUUID } from 'node:crypto';
import type { Dataset, DatasetHarvest, Publisher } from '../dataset/dataset';
import { MAX_TAGS, MAX_TITLE_LENGTH } from '../dataset/dataset';
import type { Granularity } from '../dataset/granularities';
import { DEFAULT_LICENSE, LICENSE_IDS } from '../dataset/licenses';
import type { Checksum, Resource, ResourceType } from '../dataset/resource';
import { singleLine } from '../schema-helpers';
import { normalizeTags } from '../tags';
import { matchResources } from './resource-identity';

/**
 * How a mapped remote record becomes a Portail dataset: the harvest block, the fields a run owns, the
 * matching of resources, and when a dataset the remote no longer lists is archived. Pure: the store
 * writes what these decide.
 */

/** What a run reads of a mapped remote resource (the backends' mapped type has these fields). */
export interface HarvestedResource {
  remote_id: string | null;
  url: string;
  title: string;
  description: string | null;
  format: string | null;
  mime: string | null;
  filesize: number | null;
  checksum: Checksum | null;
  type: ResourceType;
  issued_at: string | null;
  modified_at: string | null;
  extras: Record<string, unknown>;
}

/** What a run reads of a mapped remote record. */
export interface HarvestedContent {
  remote_id: string;
  remote_url: string | null;
  uri: string | null;
  dct_identifier: string | null;
  title: string;
  description: string;
  tags: string[];
  license: string;
  frequency: Dataset['frequency'];
  temporal_coverage: Dataset['temporal_coverage'];
  spatial: { zones: string[]; granularity?: Granularity } | null;
  created_at: string | null;
  issued_at: string | null;
  modified_at: string | null;
  resources: HarvestedResource[];
  extras: Record<string, unknown>;
}

export interface HarvestOrigin {
  source: { id: string; backend: string; url: string; publisher: Publisher };
  now: Date;
}

/** The dataset's `harvest` block for a record written now. */
export function harvestBlock(content: HarvestedContent, origin: HarvestOrigin): DatasetHarvest {
  let domain: string | null = null;
  try {
    domain = new URL(origin.source.url).hostname;
  } catch {
    domain = null;
  }
  return {
    backend: origin.source.backend,
    source_id: origin.source.id,
    remote_id: content.remote_id,
    remote_url: content.remote_url,
    domain,
    uri: content.uri,
    dct_identifier: content.dct_identifier,
    created_at: content.created_at,
    issued_at: content.issued_at,
    modified_at: content.modified_at,
    last_update: origin.now.toISOString(),
    archived: null,
    archived_at: null,
  };
}

/**
 * The dataset fields a run writes, with what it had to leave out in words: tags beyond the 40 a dataset
 * holds, a license id Portail does not know (kept in extras).
 */
export function harvestedFields(content: HarvestedContent): {
  fields: Pick<
    Dataset,
    'title' | 'description' | 'tags' | 'license' | 'frequency' | 'temporal_coverage' | 'spatial' | 'extras'
  >;
  warnings: string[];
} {
  const warnings: string[] = [];
  let tags = normalizeTags(content.tags);
  if (tags.length > MAX_TAGS) {
    warnings.push(`${tags.length - MAX_TAGS} tags left out: a dataset holds at most ${MAX_TAGS}.`);
    tags = tags.slice(0, MAX_TAGS);
  }
  const extras: Record<string, unknown> = { ...content.extras };
  let license = content.license;
  if (!LICENSE_IDS.includes(license)) {
    extras['harvest:license'] = license;
    warnings.push(`Unknown license "${license}": kept in extras, ${DEFAULT_LICENSE} used.`);
    license = DEFAULT_LICENSE;
  }
  const title = singleLine(content.title).trim().slice(0, MAX_TITLE_LENGTH);
  return {
    fields: {
      title,
      description: content.description,
      tags,
      license,
      frequency: content.frequency,
      temporal_coverage: content.temporal_coverage,
      spatial:
        content.spatial && (content.spatial.zones.length || content.spatial.granularity)
          ? { zones: content.spatial.zones, granularity: content.spatial.granularity ?? 'other' }
          : null,
      extras,
    },
    warnings,
  };
}

const REMOTE_ID_EXTRA = 'harvest:remote_id';

function resourceFrom(
  remote: HarvestedResource,
  previous: Resource | null,
  datasetId: string,
  now: Date,
): Resource {
  const at = now.toISOString();
  return {
    id: previous?.id ?? randomUUID(),
    dataset_id: datasetId,
    title: singleLine(remote.title).trim(),
    description: remote.description,
    type: remote.type,
    filetype: 'remote',
    url: remote.url,
    format: remote.format ? remote.format.toLowerCase() : null,
    mime: remote.mime ? remote.mime.toLowerCase() : null,
    filesize: remote.filesize,
    checksum: remote.checksum,
    sha256: null,
    schema: previous?.schema ?? null,
    extras: { ...remote.extras, ...(remote.remote_id ? { [REMOTE_ID_EXTRA]: remote.remote_id } : {}) },
    created_at: previous?.created_at ?? at,
    last_modified: at,
    status: 'available',
    upload: null,
    object_key: null,
    downloads: previous?.downloads ?? 0,
  };
}

function sameContent(a: Resource, b: Resource): boolean {
  const strip = ({ last_modified: _l, downloads: _d, ...rest }: Resource) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/**
 * The remote's resources matched to the dataset's (core's `matchResources`: by remote id, else by URL
 * without volatile parameters, so ODS export links changing `use_labels` stay the same resource).
 * Resources of the dataset the remote no longer has are removed; hosted files uploaded here are kept.
 */
export function planHarvestedResources(
  existing: readonly Resource[],
  remote: readonly HarvestedResource[],
  datasetId: string,
  now: Date,
): { put: Resource[]; removed: Resource[]; order: string[]; all: Resource[] } {
  const links = existing.filter((resource) => resource.filetype === 'remote' && resource.url);
  const byId = new Map(links.map((resource) => [resource.id, resource]));
  const { matches, unmatched } = matchResources(
    links.map((resource) => {
      const remoteId = resource.extras[REMOTE_ID_EXTRA];
      return {
        id: resource.id,
        remote_id: typeof remoteId === 'string' ? remoteId : null,
        url: resource.url!,
      };
    }),
    remote,
  );
  const put: Resource[] = [];
  const all: Resource[] = [];
  for (const match of matches) {
    const previous = match.existing ? (byId.get(match.existing.id) ?? null) : null;
    const next = resourceFrom(match.incoming, previous, datasetId, now);
    all.push(next);
    if (!previous || !sameContent(previous, next)) put.push(next);
  }
  const removed = unmatched.map((ref) => byId.get(ref.id)!);
  const kept = existing.filter((resource) => resource.filetype !== 'remote' || !resource.url);
  return { put, removed, order: [...all.map((r) => r.id), ...kept.map((r) => r.id)], all: [...all, ...kept] };
}

/** What a run does about a dataset of its source the remote did not list this time. */
export type ArchiveVerdict = 'mark-missing' | 'wait' | 'archive' | 'nothing';

/**
 * Only after a complete listing (every page read, nothing cut): the first time it is missing, note
 * since when; once it has been missing for the grace period, archive it. Archived ones stay so.
 */
export function archiveVerdict(
  record: { missing_since: string | null; archived: boolean },
  now: Date,
  graceDays: number,
): ArchiveVerdict {
  if (record.archived) return 'nothing';
  if (!record.missing_since) return 'mark-missing';
  return now.getTime() - Date.parse(record.missing_since) >= graceDays * 86_400_000 ? 'archive' : 'wait';
}
