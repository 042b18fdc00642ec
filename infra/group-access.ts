/**
 * What each route group's function may touch. Least privilege is declared here, per group, and a group
 * missing from this map fails synthesis: adding a route group means deciding what it needs.
 */
export interface GroupAccess {
  table?: 'read' | 'readWrite';
  /** Put objects under the uploads prefix: what signing presigned POST/PUT uploads requires. */
  uploads?: boolean;
  /** Publish straight to the bus (state changes go through the table outbox instead). */
  events?: boolean;
  /**
   * Manage hosted files under the uploads prefix: sign downloads (GetObject), list the parts of multipart
   * uploads (ListMultipartUploadParts) and delete files (DeleteObject).
   */
  manageUploads?: boolean;
  /**
   * Resolves callers (X-API-KEY, session cookie): needs the key API tokens are hashed with, read from
   * its secret at cold start (API_TOKEN_SECRET_ARN and secretsmanager:GetSecretValue on that secret).
   */
  credentials?: boolean;
  /**
   * Counts clients by the viewer's address CloudFront reports (per-address throttles, and the visits that
   * count a dataset's reads and a file's downloads once per visitor), believed only on requests carrying
   * the distribution's origin secret: ORIGIN_SECRET_ARN and GetSecretValue on it.
   */
  viewerAddress?: boolean;
  /** Applies the spam rule to what users write: gets SPAM_BANNED_WORDS, when configured. */
  spamRule?: boolean;
  /** Searches the OpenSearch collection (SEARCH_ENDPOINT, read-only access to its indexes). */
  search?: boolean;
  /** Starts harvest runs: sends the first step to the harvest step queue (HARVEST_STEPS_QUEUE_URL). */
  harvestSteps?: boolean;
  /** Writes, signs links to and deletes uploaded images (logos, reuse images, avatars) under the images prefix. */
  images?: boolean;
  /** Memory in MB when the default (1024) is not enough for the group's work. */
  memorySize?: number;
}

export const GROUP_ACCESS: Record<string, GroupAccess> = {
  accounts: { table: 'readWrite', credentials: true, viewerAddress: true },
  activity: { table: 'read', credentials: true },
  'community-resources': { table: 'readWrite', uploads: true, manageUploads: true, credentials: true },
  contacts: { table: 'readWrite', credentials: true },
  dashboards: { table: 'read', credentials: true },
  datasets: { table: 'readWrite', credentials: true, search: true, viewerAddress: true },
  discussions: { table: 'readWrite', credentials: true, spamRule: true },
  docs: {},
  exports: { table: 'read', credentials: true },
  notifications: { table: 'readWrite', credentials: true },
  follows: { table: 'readWrite', credentials: true },
  harvest: { table: 'readWrite', credentials: true, harvestSteps: true },
  // Decoding the largest image taken (20 megapixels) peaks near 900 MiB (`npm run bench:images`).
  images: { table: 'readWrite', credentials: true, images: true, memorySize: 2048 },
  organizations: { table: 'readWrite', credentials: true, search: true },
  reuses: { table: 'readWrite', credentials: true, search: true },
  resources: {
    table: 'readWrite',
    uploads: true,
    manageUploads: true,
    credentials: true,
    viewerAddress: true,
  },
  transfers: { table: 'readWrite', credentials: true },
  webhooks: { table: 'readWrite', credentials: true },
};
