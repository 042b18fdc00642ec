/**
 * Which stored resource a harvested one is. By the remote's own resource id when both sides have one,
 * else by URL with the parts that change without the file changing removed: cache busters, tracking
 * tags, signatures of presigned links, and Opendatasoft's presentation switches (`use_labels=false`
 * becoming `=true` once duplicated thousands of resources on data.gouv.fr). The scheme is left out too,
 * so a portal moving from http to https keeps its resources.
 */

const VOLATILE = new Set([
  '_',
  'cb',
  'cachebuster',
  'cache',
  'nocache',
  't',
  'ts',
  'timestamp',
  'rnd',
  'random',
  'fbclid',
  'gclid',
  'mc_cid',
  'mc_eid',
  // Opendatasoft export presentation.
  'use_labels',
  'use_labels_for_header',
  'timezone',
  'lang',
  'csv_separator',
  'epsg',
  // Presigned links (S3, CloudFront, Azure SAS, Google Cloud Storage).
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-signature',
  'x-amz-security-token',
  'expires',
  'signature',
  'key-pair-id',
  'policy',
  'googleaccessid',
  'se',
  'st',
  'sig',
  'sv',
  'sp',
  'sr',
  'skoid',
  'sktid',
  'skt',
  'ske',
  'sks',
  'skv',
]);

function isVolatile(name: string): boolean {
  const lower = name.toLowerCase();
  return VOLATILE.has(lower) || lower.startsWith('utm_');
}

/**
 * The comparable form of a resource URL: host (lower case, no default port) + path + the remaining
 * query parameters sorted, without scheme, fragment or volatile parameters. Unparsable URLs compare as
 * trimmed text.
 */
export function resourceUrlKey(raw: string): string {
  const text = raw.trim();
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return text;
  const params = [...url.searchParams.entries()]
    .filter(([name]) => !isVolatile(name))
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : '';
  return `//${url.hostname.toLowerCase()}${port}${url.pathname}${query}`;
}

export interface StoredResourceRef {
  id: string;
  /** The remote id recorded when the resource was harvested, if any. */
  remote_id: string | null;
  url: string;
}

export interface ResourceMatch<R> {
  incoming: R;
  /** The stored resource it updates, or null: a new resource. */
  existing: StoredResourceRef | null;
}

/**
 * Pairs harvested resources with stored ones: first every remote-id match, then URL keys among those
 * left (so a remote that renumbers its resources keeps them when their URLs stay). A stored resource is matched at most once. `unmatched` are the stored resources the remote no
 * longer lists.
 */
export function matchResources<R extends { remote_id: string | null; url: string }>(
  stored: readonly StoredResourceRef[],
  incoming: readonly R[],
): { matches: ResourceMatch<R>[]; unmatched: StoredResourceRef[] } {
  const free = new Set(stored);
  const matches: ResourceMatch<R>[] = incoming.map((resource) => ({ incoming: resource, existing: null }));
  const byRemoteId = new Map<string, StoredResourceRef>();
  for (const resource of stored) if (resource.remote_id) byRemoteId.set(resource.remote_id, resource);
  for (const match of matches) {
    const candidate = match.incoming.remote_id ? byRemoteId.get(match.incoming.remote_id) : undefined;
    if (candidate && free.has(candidate)) {
      match.existing = candidate;
      free.delete(candidate);
    }
  }
  for (const match of matches) {
    if (match.existing) continue;
    const key = resourceUrlKey(match.incoming.url);
    for (const candidate of free) {
      if (resourceUrlKey(candidate.url) === key) {
        match.existing = candidate;
        free.delete(candidate);
        break;
      }
    }
  }
  return { matches, unmatched: [...free] };
}
