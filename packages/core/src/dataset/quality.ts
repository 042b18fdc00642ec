import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';
import type { Dataset } from './dataset';
import { dcatApViolations } from './dcat-ap';
import { FREQUENCIES } from './frequencies';
import { DEFAULT_LICENSE } from './licenses';
import { isVisible, type Resource } from './resource';

/** udata's `QUALITY_DESCRIPTION_LENGTH`: a description must be longer than this. */
export const QUALITY_DESCRIPTION_LENGTH = 100;
/** udata's score is out of its nine criteria. */
export const QUALITY_CRITERIA_COUNT = 9;
/** A dataset is late for its frequency only after this much tolerance (udata: one day). */
export const UPDATE_TOLERANCE_SECONDS = 86_400;
/** udata's closed formats: a dataset whose every resource is one of these (or has none) has no open format. */
export const CLOSED_FORMATS: ReadonlySet<string> = new Set([
  'pdf',
  'doc',
  'docx',
  'word',
  'xls',
  'excel',
  'xlsx',
]);

/** The events after which a dataset's quality may differ (what the quality consumer reads). */
export const QUALITY_INPUTS = [
  'dataset.created',
  'dataset.updated',
  'dataset.restored',
  'dataset.resource.added',
  'dataset.resource.updated',
  'dataset.resource.removed',
  // Open discussions feed the seed's `discussions_answered` (their subject is the discussion).
  'discussion.created',
  'discussion.closed',
  'discussion.deleted',
  // An availability check that changed a link's state changes `all_resources_available`.
  'dataset.resource.unavailable',
  'dataset.resource.available',
] as const;

/** The nine criteria udata counts, then the seed's checks reported beside them. */
export const UDATA_CRITERIA = [
  'license',
  'temporal_coverage',
  'spatial',
  'update_frequency',
  'update_fulfilled_in_time',
  'dataset_description_quality',
  'has_open_format',
  'all_resources_available',
  'resources_documentation',
] as const;
export type UdataCriterion = (typeof UDATA_CRITERIA)[number];
export const EXTRA_CHECKS = ['has_description', 'has_keywords', 'discussions_answered'] as const;
export type ExtraCheck = (typeof EXTRA_CHECKS)[number];
export type QualityCriterion = UdataCriterion | ExtraCheck | 'has_resources' | 'dcat_ap';

/** What a producer does to meet each criterion (shown beside each failing one). */
export const QUALITY_ADVICE: Readonly<Record<QualityCriterion, string>> = {
  license: 'Choose a license (PUT the dataset with `license`, one of GET /api/1/datasets/licenses/).',
  temporal_coverage: 'Say which period the data covers (`temporal_coverage: {start, end}`).',
  spatial: 'Say which area the data covers (`spatial: {zones, granularity}`).',
  update_frequency:
    'Declare how often the data is updated (`frequency`, one of GET /api/1/datasets/frequencies/).',
  update_fulfilled_in_time:
    'The data is late for its declared frequency: publish the new data (add or replace a resource) or declare the frequency it really has.',
  dataset_description_quality: `Describe the dataset in more than ${QUALITY_DESCRIPTION_LENGTH} characters: what it holds, who produces it, how, and its limits.`,
  has_open_format:
    'Publish at least one resource in an open, machine-readable format (CSV, JSON, GeoJSON, XML…) rather than only PDF or office files.',
  all_resources_available:
    'Some remote resources did not answer the last availability check: fix or replace their links.',
  resources_documentation:
    'Document the data: add a resource of type `documentation` or a description to a resource.',
  has_resources: 'Add at least one resource (a file or a link) to the dataset.',
  has_description: 'Write a description of the dataset.',
  has_keywords: 'Add keywords (`tags`) so people searching for the subject find the dataset.',
  discussions_answered: 'Answer or close the open discussions about the dataset.',
  dcat_ap: 'Fill in the properties DCAT-AP asks for (listed in `dcat_ap.violations`).',
};

export const QualityIssueSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ criterion: z.string(), message: z.string() }),
);

export const DcatApViolationSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** Which node: `dataset` or `distribution <resource id>`. */
    focus: z.string(),
    /** The DCAT-AP property (prefixed IRI, e.g. `dct:description`). */
    path: z.string(),
    severity: z.enum(['mandatory', 'recommended']),
    message: z.string(),
  }),
);
export type DcatApViolation = z.infer<typeof DcatApViolationSchema>;

/**
 * What Portail keeps of a dataset's quality: udata's criteria (same names), its score, the seed's
 * checks beside them, what to fix, and the dataset's DCAT-AP 3.0 conformance. `due_at` (when the data
 * becomes late, tolerance included) lets a read judge `update_fulfilled_in_time` at read time, as udata
 * does, without recomputing the rest.
 */
export const QualitySchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      license: z.boolean(),
      temporal_coverage: z.boolean(),
      spatial: z.boolean(),
      update_frequency: z.boolean(),
      /** Absent when no frequency is declared (udata). */
      update_fulfilled_in_time: z.boolean().optional(),
      dataset_description_quality: z.boolean(),
      has_resources: z.boolean(),
      /** The resource criteria are absent without resources (udata). */
      has_open_format: z.boolean().optional(),
      all_resources_available: z.boolean().optional(),
      resources_documentation: z.boolean().optional(),
      /** True count of udata's nine criteria / 9, between 0 and 1. */
      score: z.number().min(0).max(1),
      /** The seed's checks, beside udata's score (null: not known yet). */
      has_description: z.boolean(),
      has_keywords: z.boolean(),
      discussions_answered: z.boolean().nullable(),
      /** Each failing criterion or check with what to do about it. */
      to_fix: z.array(QualityIssueSchema),
      /** The dataset's DCAT-AP 3.0 export checked against the properties the shapes require or recommend. */
      dcat_ap: z.object({ conforms: z.boolean(), violations: z.array(DcatApViolationSchema) }),
      due_at: isoDateTime.nullable(),
      computed_at: isoDateTime,
    })
    .meta({ id: 'StoredQuality' }),
);
export type Quality = z.infer<typeof QualitySchema>;

/** What a dataset's answer shows: the same, less the bookkeeping of when it was computed. */
export const QualityResponseSchema = /* @__PURE__ */ lazySchema(() =>
  QualitySchema.omit({ due_at: true, computed_at: true }).meta({
    id: 'Quality',
  }),
);
export type QualityResponse = z.infer<typeof QualityResponseSchema>;

export function presentQuality(quality: Quality, now: Date): QualityResponse {
  const { due_at: _due, computed_at: _computed, ...shown } = qualityAt(quality, now);
  return shown;
}

export interface QualityInput {
  dataset: Dataset;
  /** The dataset's resources as read with it (pending and refused ones are ignored). */
  resources: readonly Resource[];
  /** Open discussions about the dataset, still waiting for the producer; undefined when not counted. */
  openDiscussions?: number;
}

function dueAt(dataset: Dataset): string | null {
  const delta = FREQUENCIES.find((frequency) => frequency.id === dataset.frequency)?.delta_seconds ?? null;
  if (delta === null) return null;
  const last = Date.parse(dataset.last_update);
  return new Date(last + (delta + UPDATE_TOLERANCE_SECONDS) * 1000).toISOString();
}

function isAvailable(resource: Resource): boolean {
  // Hosted files are available by construction; a link is unknown (so available) until a check says no.
  if (resource.filetype === 'file') return true;
  return resource.extras['check:available'] !== false;
}

/** `update_fulfilled_in_time` at `now`, the score and what to fix follow from it. */
export function qualityAt(quality: Quality, now: Date): Quality {
  if (quality.due_at === null) return quality;
  const inTime = now.getTime() <= Date.parse(quality.due_at);
  if (quality.update_fulfilled_in_time === inTime) return quality;
  const next = { ...quality, update_fulfilled_in_time: inTime };
  return { ...next, score: scoreOf(next), to_fix: toFix(next) };
}

function scoreOf(quality: Omit<Quality, 'score' | 'to_fix'>): number {
  const passed = UDATA_CRITERIA.filter((criterion) => quality[criterion] === true).length;
  return Math.round((passed / QUALITY_CRITERIA_COUNT) * 1e6) / 1e6;
}

function toFix(quality: Omit<Quality, 'score' | 'to_fix'>): Quality['to_fix'] {
  const failing: QualityCriterion[] = [];
  if (!quality.has_resources) failing.push('has_resources');
  for (const criterion of UDATA_CRITERIA) if (quality[criterion] === false) failing.push(criterion);
  for (const check of EXTRA_CHECKS) if (quality[check] === false) failing.push(check);
  if (!quality.dcat_ap.conforms) failing.push('dcat_ap');
  return failing.map((criterion) => ({ criterion, message: QUALITY_ADVICE[criterion] }));
}

/** The quality of a dataset (udata's rules, reference §1b), computed at `now`. */
export function computeQuality(input: QualityInput, now: Date): Quality {
  const { dataset } = input;
  const visible = input.resources.filter(isVisible);
  const hasResources = visible.length > 0;
  const frequencySet = dataset.frequency !== 'unknown';
  const due = dueAt(dataset);
  const violations = dcatApViolations(dataset, input.resources);
  const base = {
    license: dataset.license !== DEFAULT_LICENSE && dataset.license !== '',
    temporal_coverage: dataset.temporal_coverage !== null,
    spatial: (dataset.spatial?.zones.length ?? 0) > 0,
    update_frequency: frequencySet,
    ...(frequencySet ? { update_fulfilled_in_time: due === null || now.getTime() <= Date.parse(due) } : {}),
    dataset_description_quality: dataset.description.trim().length > QUALITY_DESCRIPTION_LENGTH,
    has_resources: hasResources,
    ...(hasResources
      ? {
          has_open_format: !visible.every(
            (resource) => !resource.format || CLOSED_FORMATS.has(resource.format.toLowerCase()),
          ),
          all_resources_available: visible.every(isAvailable),
          resources_documentation: visible.some(
            (resource) => resource.type === 'documentation' || Boolean(resource.description?.trim()),
          ),
        }
      : {}),
    has_description: dataset.description.trim().length > 0,
    has_keywords: dataset.tags.length > 0,
    discussions_answered: input.openDiscussions === undefined ? null : input.openDiscussions === 0,
    dcat_ap: { conforms: violations.length === 0, violations },
    due_at: frequencySet ? due : null,
    computed_at: now.toISOString(),
  };
  return { ...base, score: scoreOf(base), to_fix: toFix(base) };
}

/**
 * Whether a producer would notice a difference: the score, a criterion or what to fix (the time of
 * computation alone is no change).
 */
export function qualityChanged(before: Quality | null, after: Quality): boolean {
  if (!before) return true;
  // Parsed by the same schema, both list their fields in one order.
  const { computed_at: _a, ...left } = QualitySchema.parse(before);
  const { computed_at: _b, ...right } = QualitySchema.parse(after);
  return JSON.stringify(left) !== JSON.stringify(right);
}

/** The criteria that fail, for events and dashboards. */
export function failingCriteria(quality: Quality): string[] {
  return quality.to_fix.map((issue) => issue.criterion);
}
