import { createHash } from 'node:crypto';
import * as z from 'zod';
import { type Publisher, PublisherSchema } from '../dataset/dataset';
import { extrasInputSchema } from '../dataset/extras';
import { ValidationError } from '../errors';
import { type StoredImage, StoredImageSchema } from '../images/image';
import { lazySchema } from '../lazy-schema';
import { dateTimeInput, httpUrl, isoDateTime, requiredLine, requiredString } from '../schema-helpers';
import { normalizeTag, normalizeTags } from '../tags';

/** udata's reuse types (`GET /api/1/reuses/types/`), with their labels. */
export const REUSE_TYPES = {
  api: 'API',
  application: 'Application',
  idea: 'Idea',
  news_article: 'News Article',
  paper: 'Paper',
  post: 'Post',
  visualization: 'Visualization',
  hardware: 'Connected device',
} as const;
export type ReuseType = keyof typeof REUSE_TYPES;
export const REUSE_TYPE_IDS = Object.keys(REUSE_TYPES) as [ReuseType, ...ReuseType[]];

/** udata's reuse topics (`GET /api/1/reuses/topics/`), with their labels. */
export const REUSE_TOPICS = {
  health: 'Health',
  transport_and_mobility: 'Transport and mobility',
  housing_and_development: 'Housing and development',
  food_and_agriculture: 'Food and agriculture',
  culture_and_recreation: 'Culture and recreation',
  economy_and_business: 'Economy and business',
  environment_and_energy: 'Environment and energy',
  work_and_training: 'Work and training',
  politics_and_public_life: 'Politics and public life',
  safety_and_security: 'Safety and security',
  education_and_research: 'Education and research',
  society_and_demography: 'Society and demography',
  law_and_justice: 'Law and justice',
  open_data_tools: 'Open data tools',
  others: 'Others',
} as const;
export type ReuseTopic = keyof typeof REUSE_TOPICS;
export const REUSE_TOPIC_IDS = Object.keys(REUSE_TOPICS) as [ReuseTopic, ...ReuseTopic[]];

export const MAX_REUSE_TITLE_LENGTH = 350;
export const MAX_REUSE_DESCRIPTION_LENGTH = 100_000;
export const MAX_REUSE_URL_LENGTH = 2000;
export const MAX_REUSE_TAGS = 40;
/**
 * Each linked dataset is an item written in the reuse's transaction (it lists the reuse under the
 * dataset), and DynamoDB caps a transaction at 100 items: 40 datasets leave room for replacing them all.
 */
export const MAX_REUSE_DATASETS = 40;

/** Fixed segments under `/api/1/reuses/`: no reuse slug may take one of them. */
export const RESERVED_REUSE_SLUGS: ReadonlySet<string> = new Set(['types', 'topics', 'suggest', 'badges']);

const oneOf = (ids: readonly string[], what: string) => (issue: { input: unknown }) =>
  issue.input === undefined
    ? 'This field is required.'
    : `Unknown ${what}: expected one of ${ids.join(', ')}.`;

const tagsInput = /* @__PURE__ */ lazySchema(() =>
  z
    .array(z.string().max(1000), { error: 'Expected a list of tags.' })
    .max(MAX_REUSE_TAGS, `At most ${MAX_REUSE_TAGS} tags.`)
    .superRefine((tags, ctx) => {
      for (const raw of tags) {
        const result = normalizeTag(raw);
        if ('error' in result) ctx.addIssue({ code: 'custom', message: result.error });
      }
    })
    .transform(normalizeTags),
);

/** A dataset named by a reuse: its id (udata also takes `{id}` objects, as clients send back what they read). */
const datasetRefInput = /* @__PURE__ */ lazySchema(() =>
  z
    .union([z.string().trim().min(1).max(300), z.object({ id: z.string().trim().min(1).max(300) })], {
      error: 'Expected a dataset id.',
    })
    .transform((value) => (typeof value === 'string' ? value : value.id)),
);

const datasetsInput = /* @__PURE__ */ lazySchema(() =>
  z
    .array(datasetRefInput, { error: 'Expected a list of dataset ids.' })
    .max(MAX_REUSE_DATASETS, `At most ${MAX_REUSE_DATASETS} datasets.`)
    .transform((ids) => [...new Set(ids)]),
);

const organizationInput = /* @__PURE__ */ lazySchema(() =>
  z
    .union([z.string().min(1).max(100), z.object({ id: z.string().min(1).max(100) })], {
      error: 'Expected an organization id.',
    })
    .nullish()
    .transform((value) => (value == null ? null : typeof value === 'string' ? value : value.id)),
);

const writable = {
  title: /* @__PURE__ */ lazySchema(() => requiredLine(MAX_REUSE_TITLE_LENGTH)),
  description: /* @__PURE__ */ lazySchema(() => requiredString(MAX_REUSE_DESCRIPTION_LENGTH)),
  type: /* @__PURE__ */ lazySchema(() => z.enum(REUSE_TYPE_IDS, { error: oneOf(REUSE_TYPE_IDS, 'type') })),
  topic: /* @__PURE__ */ lazySchema(() =>
    z.enum(REUSE_TOPIC_IDS, { error: oneOf(REUSE_TOPIC_IDS, 'topic') }),
  ),
  url: /* @__PURE__ */ lazySchema(() => httpUrl(MAX_REUSE_URL_LENGTH)),
  tags: tagsInput,
  datasets: datasetsInput,
  private: /* @__PURE__ */ lazySchema(() => z.boolean({ error: 'Expected true or false.' })),
  archived: /* @__PURE__ */ lazySchema(() => dateTimeInput.nullable()),
  extras: extrasInputSchema,
};

/**
 * `POST /api/1/reuses/` body (udata's fields). Unknown and read-only fields are ignored, as udata
 * clients send back whole objects they read.
 */
export const ReuseCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      ...writable,
      tags: writable.tags.default([]),
      datasets: writable.datasets.default([]),
      private: writable.private.default(false),
      archived: writable.archived.default(null),
      /** Publish for this organization (the caller must be a member); otherwise the caller owns it. */
      organization: organizationInput,
    })
    .meta({ id: 'ReuseCreateInput' }),
);
export type ReuseCreateInput = z.output<typeof ReuseCreateInputSchema>;

/** `PUT /api/1/reuses/{reuse}/` body: what is sent is merged over what is stored. */
export const ReuseUpdateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      title: writable.title.optional(),
      description: writable.description.optional(),
      type: writable.type.optional(),
      topic: writable.topic.optional(),
      url: writable.url.optional(),
      tags: writable.tags.optional(),
      datasets: writable.datasets.optional(),
      private: writable.private.optional(),
      archived: writable.archived.optional(),
      extras: writable.extras.optional(),
    })
    .meta({ id: 'ReuseUpdateInput' }),
);
export type ReuseUpdateInput = z.output<typeof ReuseUpdateInputSchema>;

/** `POST /api/1/reuses/{reuse}/datasets/` body: udata's dataset reference. */
export const ReuseDatasetInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z
        .string({
          error: (issue) =>
            issue.input === undefined ? 'Expect a dataset identifier.' : 'Expected a dataset id.',
        })
        .trim()
        .min(1, 'Expect a dataset identifier.')
        .max(300, 'Expected a dataset id.'),
    })
    .meta({ id: 'ReuseDatasetInput' }),
);

/** A dataset a reuse links, as the reuse keeps it (title and slug when linked, whether it was public). */
export const LinkedDatasetSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    slug: z.string(),
    /** Public (and live) when linked: a reuse is listed only when it links at least one public dataset. */
    public: z.boolean(),
    /** Its owners and followers were told of the reuse (once, the first time the reuse was listed with it). */
    announced: z.boolean().optional(),
  }),
);
export type LinkedDataset = z.infer<typeof LinkedDatasetSchema>;

/** The reuse as the domain knows it (and as the store keeps it, less its keys). */
export const ReuseSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    type: z.enum(REUSE_TYPE_IDS),
    topic: z.enum(REUSE_TOPIC_IDS),
    url: z.string(),
    tags: z.array(z.string()),
    datasets: z.array(LinkedDatasetSchema),
    private: z.boolean(),
    archived: isoDateTime.nullable(),
    deleted: isoDateTime.nullable(),
    featured: z.boolean().default(false),
    created_at: isoDateTime,
    last_modified: isoDateTime,
    extras: z.record(z.string(), z.unknown()),
    owner: z.string().nullable(),
    organization: z.string().nullable(),
    publisher: PublisherSchema,
    /** Its image and thumbnail (`POST /api/1/reuses/{reuse}/image/`), none until one is uploaded. */
    image: StoredImageSchema.nullable().default(null),
    version: z.number().int().nonnegative(),
  }),
);
export type Reuse = z.infer<typeof ReuseSchema>;

/**
 * Listed (in `GET /api/1/reuses/`, under its datasets and in public counts): live, public and linking at
 * least one dataset that was public when linked (udata: "public only if ≥1 dataset").
 */
export function isReuseListed(reuse: Pick<Reuse, 'private' | 'deleted' | 'datasets'>): boolean {
  return !reuse.private && reuse.deleted === null && reuse.datasets.some((dataset) => dataset.public);
}

/**
 * What a write of `reuse` (over `before`, null for a creation) announces, once: when the reuse is listed,
 * each dataset it links that was not announced yet, whose owners and followers hear of "a new reuse of
 * the dataset"; and `published` the first time it is listed at all, for the followers of its publisher.
 * A reuse created public announces its datasets at once; one created private, none until it is made
 * public; a dataset linked later, when it is linked, if the reuse is listed then. Answers the reuse with
 * its datasets marked (marks kept across a PUT that lists the datasets again).
 */
export function announceReuse(
  reuse: Reuse,
  before: Reuse | null,
): { reuse: Reuse; announced: string[]; published: boolean } {
  const told = new Set(
    [...(before?.datasets ?? []), ...reuse.datasets].filter((dataset) => dataset.announced).map((d) => d.id),
  );
  const announced = isReuseListed(reuse)
    ? reuse.datasets.filter((dataset) => !told.has(dataset.id)).map((dataset) => dataset.id)
    : [];
  const marked = new Set([...told, ...announced]);
  return {
    reuse: {
      ...reuse,
      datasets: reuse.datasets.map((dataset) =>
        marked.has(dataset.id) ? { ...dataset, announced: true } : dataset,
      ),
    },
    announced,
    published: announced.length > 0 && told.size === 0,
  };
}

/** A public reuse must show what it reuses: refused (400 naming `datasets`) when it would link no public dataset. */
export function checkPublishable(reuse: Pick<Reuse, 'private' | 'datasets'>): void {
  if (reuse.private || reuse.datasets.some((dataset) => dataset.public)) return;
  throw ValidationError.field(
    'datasets',
    reuse.datasets.length === 0
      ? 'A public reuse needs at least one dataset: link one, or keep the reuse private.'
      : 'A public reuse needs at least one public dataset: link one, or keep the reuse private.',
  );
}

/**
 * The form of a URL that makes two reuses the same (udata's `urlhash`): scheme and host in lower case,
 * no fragment, no trailing slash; hashed so any length fits in a key.
 */
export function reuseUrlHash(url: string): string {
  let normal = url.trim();
  if (URL.canParse(normal)) {
    const parsed = new URL(normal);
    parsed.hash = '';
    normal = parsed.toString().replace(/\/+$/, '');
  }
  return createHash('sha256').update(normal).digest('hex');
}

export const REUSE_URL_TAKEN = 'This URL is already registered.';

export function newReuse(
  input: ReuseCreateInput,
  ids: { id: string; slug: string },
  datasets: LinkedDataset[],
  publisher: Publisher,
  now: Date,
): Reuse {
  const at = now.toISOString();
  const reuse: Reuse = {
    id: ids.id,
    slug: ids.slug,
    title: input.title,
    description: input.description,
    type: input.type,
    topic: input.topic,
    url: input.url,
    tags: input.tags,
    datasets,
    private: input.private,
    archived: input.archived,
    deleted: null,
    featured: false,
    created_at: at,
    last_modified: at,
    extras: input.extras,
    image: null,
    owner: publisher.kind === 'user' ? publisher.id : null,
    organization: publisher.kind === 'organization' ? publisher.id : null,
    publisher,
    version: 1,
  };
  checkPublishable(reuse);
  return reuse;
}

/** What a write may change: a PUT body (its datasets already looked up), or an image. */
export type ReuseChange = Omit<ReuseUpdateInput, 'datasets'> & {
  datasets?: LinkedDataset[];
  image?: StoredImage | null;
};

/** Applies a change; returns the new state and which fields changed (for the event). */
export function applyReuseUpdate(
  reuse: Reuse,
  input: ReuseChange,
  now: Date,
): { reuse: Reuse; changes: string[] } {
  const changes: string[] = [];
  const next: Reuse = { ...reuse };
  for (const [key, value] of Object.entries(input) as [keyof Reuse, unknown][]) {
    if (value === undefined) continue;
    const same =
      key === 'datasets'
        ? JSON.stringify((value as LinkedDataset[]).map((d) => d.id)) ===
          JSON.stringify(reuse.datasets.map((d) => d.id))
        : JSON.stringify(value) === JSON.stringify(reuse[key]);
    if (!same) {
      changes.push(key);
      (next as Record<string, unknown>)[key] = value;
    }
  }
  if (changes.length > 0) {
    next.last_modified = now.toISOString();
    next.version = reuse.version + 1;
    checkPublishable(next);
  }
  return { reuse: next, changes };
}

/** Adds one dataset (udata's `POST …/datasets/`): unchanged (null) when it is already linked. */
export function linkDataset(reuse: Reuse, dataset: LinkedDataset, now: Date): Reuse | null {
  if (reuse.datasets.some((linked) => linked.id === dataset.id)) return null;
  if (reuse.datasets.length >= MAX_REUSE_DATASETS)
    throw ValidationError.field('id', `A reuse links at most ${MAX_REUSE_DATASETS} datasets.`);
  return {
    ...reuse,
    datasets: [...reuse.datasets, dataset],
    last_modified: now.toISOString(),
    version: reuse.version + 1,
  };
}

/** The reuse once given to `recipient` by an accepted transfer. */
export function transferReuse(reuse: Reuse, recipient: Publisher, now: Date): Reuse {
  return {
    ...reuse,
    owner: recipient.kind === 'user' ? recipient.id : null,
    organization: recipient.kind === 'organization' ? recipient.id : null,
    publisher: recipient,
    last_modified: now.toISOString(),
    version: reuse.version + 1,
  };
}
