import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { type HarvestBackendKind, HarvestBackendKindSchema, type HarvestItem } from './mapped-dataset';

/**
 * The contract between a harvest job and a backend: the job hands over the source and the cursor it
 * persisted; the backend fetches one page, maps its records and says where to go next. One call is
 * one small step, so a catalogue of any size is read in as many steps as it has pages.
 */

/** udata's source filters: `{key, value, type}`; `include` (default) or `exclude`. */
export const HarvestFilterSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    key: z.string().trim().min(1).max(100),
    value: z.string().trim().min(1).max(500),
    type: z.enum(['include', 'exclude']).default('include'),
  }),
);
export type HarvestFilter = z.infer<typeof HarvestFilterSchema>;

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

/** What a backend needs to know of a source (the source entity holds more). */
export const HarvestSourceConfigSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    backend: HarvestBackendKindSchema,
    /** The catalogue's base URL (CKAN portal, DCAT catalogue URL, Opendatasoft portal). */
    url: z.string().url(),
    filters: z.array(HarvestFilterSchema).max(50).default([]),
    /** Backend switches, e.g. ODS `inspire` (harvest INSPIRE records too), `api_v1` (the legacy API). */
    features: z.record(z.string(), z.boolean()).default({}),
    /** Records asked per page (CKAN `rows`, ODS `rows`); DCAT pages are the remote's own. */
    page_size: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  }),
);
export type HarvestSourceConfig = z.infer<typeof HarvestSourceConfigSchema>;
export type HarvestSourceConfigInput = z.input<typeof HarvestSourceConfigSchema>;

/**
 * Where the next page starts: opaque to the job, which stores it and gives it back. Each backend
 * encodes and validates its own (CKAN: start + last id + first count; DCAT: next page URL).
 */
export const HarvestCursorSchema = /* @__PURE__ */ lazySchema(() => z.string().min(1).max(4096));
export type HarvestCursor = z.infer<typeof HarvestCursorSchema>;

/** What the backend's fetch answered, already bounded in size and time by the guarded fetcher. */
export interface HarvestResponse {
  /** The final URL (after redirects). */
  url: string;
  status: number;
  /** Lower-case media type without parameters (`application/rdf+xml`), or null. */
  contentType: string | null;
  body: Uint8Array;
}

/** The only way a backend reaches the network. Deployed and locally it is the guarded fetcher. */
export type HarvestFetch = (url: string, init: { accept: string }) => Promise<HarvestResponse>;

export interface HarvestPage {
  items: HarvestItem[];
  /** Where the following page starts, or null when this was the last one. */
  next: HarvestCursor | null;
  /**
   * Reasons the listing as a whole may be incomplete, found on this page (a total that changed while
   * paging, a remote that stopped early, a page limit reached). A job may archive datasets missing
   * from the remote only when it reached `next: null` without any page reporting one, and no page failed.
   */
  truncated: string[];
  /** The remote's announced total when it gives one (CKAN `count`, Hydra `totalItems`, ODS `nhits`). */
  total: number | null;
  /** The URL fetched for this page (shown on the job). */
  url: string;
}

/** An error for the whole page (unreachable remote, unreadable document): the step fails and is retried. */
export class HarvestPageError extends Error {
  override readonly name = 'HarvestPageError';
  constructor(
    message: string,
    /** Whether retrying the same page may help (network, 5xx) or not (404, unsupported format). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface HarvestBackend {
  readonly kind: HarvestBackendKind;
  /** Reads the page at `cursor` (null: the first page). Throws `HarvestPageError` for the page. */
  readPage(
    source: HarvestSourceConfig,
    cursor: HarvestCursor | null,
    fetch: HarvestFetch,
  ): Promise<HarvestPage>;
}
