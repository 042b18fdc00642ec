import http from 'node:http';
import https from 'node:https';
import * as z from 'zod';

/**
 * The public API as the pages read it: over HTTP, anonymously, like any client. Each answer is parsed
 * with the few fields the pages show (zod at the boundary); a private object is the API's 404 and a
 * deleted one its 410, so the pages never see what an anonymous visitor may not.
 */

const nullableString = z.string().nullable().optional().default(null);

const OrganizationRef = z.object({ id: z.string(), name: z.string(), slug: z.string(), page: z.string() });
const UserRef = z.object({
  id: z.string(),
  slug: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  page: z.string(),
});

export const ResourceSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: nullableString,
  format: nullableString,
  url: nullableString,
  latest: z.string(),
  filesize: z.number().nullable().optional().default(null),
  mime: nullableString,
  last_modified: z.string(),
});
export type Resource = z.infer<typeof ResourceSchema>;

export const DatasetSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  acronym: nullableString,
  description: z.string(),
  description_short: nullableString,
  tags: z.array(z.string()),
  license: z.string(),
  frequency: z.string(),
  created_at: z.string(),
  last_modified: z.string(),
  last_update: z.string(),
  temporal_coverage: z.object({ start: z.string(), end: z.string().nullable() }).nullable(),
  spatial: z.object({ zones: z.array(z.string()), granularity: z.string().nullable().optional() }).nullable(),
  resources: z.array(ResourceSchema).default([]),
  organization: OrganizationRef.nullable(),
  owner: UserRef.nullable(),
  metrics: z.record(z.string(), z.number()).default({}),
  uri: z.string(),
  page: z.string(),
});
export type Dataset = z.infer<typeof DatasetSchema>;

export const OrganizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  acronym: nullableString,
  slug: z.string(),
  description: z.string(),
  url: nullableString,
  created_at: z.string(),
  last_modified: z.string(),
  metrics: z.record(z.string(), z.number()).default({}),
  logo: nullableString,
  uri: z.string(),
  page: z.string(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

export const ReuseSchema = z.object({
  id: z.string(),
  title: z.string(),
  slug: z.string(),
  description: z.string(),
  type: z.string(),
  url: z.string(),
  tags: z.array(z.string()),
  datasets: z.array(z.object({ id: z.string(), title: z.string(), page: z.string() })),
  created_at: z.string(),
  last_modified: z.string(),
  image: nullableString,
  organization: OrganizationRef.nullable(),
  owner: UserRef.nullable(),
  uri: z.string(),
  page: z.string(),
});
export type Reuse = z.infer<typeof ReuseSchema>;

export const UserSchema = z.object({
  id: z.string(),
  slug: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  about: nullableString,
  website: nullableString,
  since: z.string(),
  organizations: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string() })).default([]),
  uri: z.string(),
  page: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    page: z.number(),
    page_size: z.number(),
    total: z.number(),
    next_page: z.string().nullable(),
    previous_page: z.string().nullable(),
  });
export type List<T> = {
  data: T[];
  page: number;
  page_size: number;
  total: number;
  next_page: string | null;
  previous_page: string | null;
};

export const DatasetListSchema = listOf(DatasetSchema);

/** A published discussion as the dataset page shows it (its comments' Markdown, rendered by the page). */
export const DiscussionSchema = z.object({
  id: z.string(),
  title: z.string(),
  created: z.string(),
  closed: z.string().nullable(),
  discussion: z.array(
    z.object({
      id: z.string(),
      content: z.string(),
      posted_on: z.string(),
      posted_by: UserRef.pick({ first_name: true, last_name: true }),
      posted_by_organization: OrganizationRef.pick({ name: true }).nullable(),
    }),
  ),
});
export type Discussion = z.infer<typeof DiscussionSchema>;
export const DiscussionListSchema = listOf(DiscussionSchema);
export const ReuseListSchema = listOf(ReuseSchema);
export const OrganizationListSchema = listOf(OrganizationSchema);

export const LicenseListSchema = z.array(
  z.object({ id: z.string(), title: z.string(), url: z.string().nullable() }),
);
export const LabelListSchema = z.array(z.object({ id: z.string(), label: z.string() }));

/** The API answered that the object is not there for this visitor: missing or private (404), deleted (410). */
export class ApiMissing extends Error {
  constructor(readonly status: 404 | 410) {
    super(`API answered ${status}`);
  }
}

/** The API refused the request as asked (a search filter it does not take): the page answers 400. */
export class ApiRefused extends Error {}

/** The API could not be read (down, slow, an answer of an unexpected shape): the page says so with a 503. */
export class ApiUnavailable extends Error {}

export type ApiGet = <T extends z.ZodType>(path: string, schema: T) => Promise<z.infer<T>>;

/** One GET of the API: its status and, for a 200, its body (other bodies are read and dropped). */
export type ApiTransport = (url: string, timeoutMs: number) => Promise<{ status: number; body: string }>;

/** How long a page waits for one API answer. */
const API_TIMEOUT_MS = 8_000;

/**
 * Node's own HTTP client on kept-alive connections: a page's reads go to one host, over and over, and
 * this client costs a fraction of `fetch`'s per request (no WHATWG streams around each answer).
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

export const httpTransport: ApiTransport = (url, timeoutMs) => {
  const target = new URL(url);
  const signal = AbortSignal.timeout(timeoutMs);
  const once = (): Promise<{ status: number; body: string; stale?: true }> =>
    new Promise((resolve, reject) => {
      const request = (target.protocol === 'https:' ? https : http).get(
        target,
        {
          agent: agents[target.protocol as keyof typeof agents],
          headers: { accept: 'application/json', 'user-agent': 'Portail pages' },
          signal,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          response.on('error', reject);
          if (status !== 200) {
            // Read to the end, so that the connection serves the next read.
            response.resume();
            response.on('end', () => resolve({ status, body: '' }));
            return;
          }
          response.setEncoding('utf8');
          let body = '';
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status, body }));
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the other end closed meanwhile (a container frozen between two
        // invocations): the GET is asked again on a new one.
        if (request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE'))
          resolve({ status: 0, body: '', stale: true });
        else reject(error);
      });
    });
  return once().then((answer) => (answer.stale ? once() : answer));
};

export function apiClient(baseUrl: string, transport: ApiTransport = httpTransport): ApiGet {
  return async (path, schema) => {
    let answer: { status: number; body: string };
    try {
      answer = await transport(`${baseUrl}${path}`, API_TIMEOUT_MS);
    } catch (error) {
      throw new ApiUnavailable(`GET ${path}: ${(error as Error).message}`);
    }
    if (answer.status === 404 || answer.status === 410) throw new ApiMissing(answer.status);
    if (answer.status === 400) throw new ApiRefused(`GET ${path}: 400`);
    if (answer.status !== 200) throw new ApiUnavailable(`GET ${path}: ${answer.status}`);
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiUnavailable(`GET ${path}: unexpected answer: ${parsed.error.message}`);
    return parsed.data;
  };
}

/** A path segment as the API takes it. */
export const segment = (value: string) => encodeURIComponent(value);
