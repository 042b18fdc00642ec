/**
 * The platform's stateful resources, described once as plain data. The CDK stack builds the AWS
 * resources from these; the local platform creates its DynamoDB Local table and s3rver bucket from the
 * same values, so both always agree.
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Global secondary indexes. Every one is listed in docs/data-model.md with what it serves. */
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    /** Listings ordered by last update (`<last_update>#<id>`), beside GSI1/GSI2's creation order. */
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
    /**
     * A fourth listing of one item, for items the other three already list: every activity (an
     * activity is listed by its actor, its organization and its object on GSI1–GSI3).
     */
    { name: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK' },
  ],
  /** Epoch seconds; DynamoDB deletes the item some time after it passes (outbox items, tokens...). */
  ttlAttribute: 'expires_at_epoch',
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

export const UPLOADS_BUCKET = {
  /**
   * Browsers send files straight to the bucket, only from the site's origin and the configured ones
   * (`uploadsCorsRules`); any page may read a file it was given a link to (open data, fetched by a
   * reuser's application). These are the only methods and headers they need.
   */
  cors: {
    readMethods: ['GET', 'HEAD'] as const,
    uploadMethods: ['PUT', 'POST'] as const,
    allowedHeaders: ['*'],
    exposedHeaders: ['ETag', 'Location', 'x-amz-request-id'],
    maxAgeSeconds: 3600,
  },
  /** Browsers send files under this prefix (presigned, one key each); finalize listens to ObjectCreated on it. */
  uploadsPrefix: 'datasets/',
  /**
   * Accepted files: finalize copies an upload here before measuring it, and only these copies are
   * served. No presigned form or part URL ever names a key here, so served bytes are the measured ones.
   */
  acceptedPrefix: 'files/',
  /**
   * Chunks of udata's chunked protocol, written by the API until they are assembled into parts of an
   * upload; the bucket's lifecycle rule drops what an abandoned upload left after two days.
   */
  chunksPrefix: 'chunks/',
  /**
   * Images uploaded through the API (organization logos, reuse images, avatars) and their thumbnails,
   * written only by the images function once decoded and re-encoded; never under the uploads prefix.
   */
  imagesPrefix: 'images/',
} as const;

/** A CORS rule of the uploads bucket, in S3's own terms (PutBucketCors). */
export interface BucketCorsRule {
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders: string[];
  ExposeHeaders: string[];
  MaxAgeSeconds: number;
}

/**
 * The browser origins that may send files to the uploads bucket: the site's own (where the workspace
 * runs; deployed, the distribution's URL, which may be a token until deploy time) and the configured
 * ones, each reduced to its origin. `*` is never taken: a page on any origin could then upload with a
 * visitor's presigned form. Throws on a configured value that is not an http(s) URL.
 */
export function uploadOrigins(site: readonly string[], configured: readonly string[]): string[] {
  const origins = configured
    .map((value) => value.trim())
    .filter((value) => value && value !== '*')
    .map((value) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new Error(`Not an origin an upload may come from: "${value}" (expected https://host[:port])`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new Error(`Not an origin an upload may come from: "${value}" (expected http or https)`);
      }
      return url.origin;
    });
  return [...new Set([...site, ...origins])];
}

/** The uploads bucket's CORS rules: reads from anywhere, uploads from `origins` only (`uploadOrigins`). */
export function uploadsCorsRules(origins: readonly string[]): BucketCorsRule[] {
  const { cors } = UPLOADS_BUCKET;
  const rule = (allowedOrigins: readonly string[], methods: readonly string[]): BucketCorsRule => ({
    AllowedOrigins: [...allowedOrigins],
    AllowedMethods: [...methods],
    AllowedHeaders: [...cors.allowedHeaders],
    ExposeHeaders: [...cors.exposedHeaders],
    MaxAgeSeconds: cors.maxAgeSeconds,
  });
  return [rule(['*'], cors.readMethods), rule(origins, cors.uploadMethods)];
}

export const EVENT_BUS = {
  /** `source` of every event Portail publishes. */
  source: 'portail',
  /** Sort-key value that marks an outbox item; the stream filter only forwards inserts of these. */
  outboxMarker: 'OUTBOX',
  /** How long an outbox item stays in the table after it has been written (it is forwarded at once). */
  outboxRetentionDays: 7,
} as const;

/** CORS for the API (browsers on other origins use it with API keys). */
export const API_CORS = {
  allowedHeaders: [
    'Content-Type',
    'X-API-KEY',
    'Authorization',
    'X-Requested-With',
    'X-CSRF-Token',
    'X-Fields',
  ],
  allowedMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  exposedHeaders: ['X-Request-Id', 'Location', 'Link'],
  maxAgeSeconds: 600,
} as const;

/** Mail goes through the same outbox pattern: a mail item is written in the transaction that needs it. */
export const MAIL = {
  /** Sort-key value of mail items; the mail sender's stream filter selects inserts of these. */
  marker: 'MAIL',
  /** A mail item left unsent (the sender deletes it once sent) disappears after this. */
  retentionDays: 2,
} as const;
