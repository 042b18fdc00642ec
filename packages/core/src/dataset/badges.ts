import * as z from 'zod';
import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';

/** udata's dataset badges (`Dataset.__badges__`), given by sysadmins, with their labels. */
export const DATASET_BADGES = {
  'pivotal-data': 'Pivotal data',
  spd: 'Reference data public service',
  inspire: 'Inspire',
  hvd: 'High value dataset',
  sl: 'Local statistics',
  sr: 'Regulatory statistics',
} as const;
export type DatasetBadgeKind = keyof typeof DATASET_BADGES;

const KINDS = Object.keys(DATASET_BADGES) as [DatasetBadgeKind, ...DatasetBadgeKind[]];

export const DatasetBadgeKindSchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(KINDS, {
    error: (issue) => `Unknown badge ${quoted(issue.input)}. Allowed values: ${KINDS.join(', ')}.`,
  }),
);

/** `POST /api/1/datasets/{dataset}/badges/` body, as udata: `{kind}`. */
export const DatasetBadgeInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ kind: DatasetBadgeKindSchema }).meta({ id: 'DatasetBadgeInput' }),
);

export const DatasetBadgeSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ kind: z.string() }).meta({ id: 'DatasetBadge' }),
);
export type DatasetBadge = z.infer<typeof DatasetBadgeSchema>;

/** `GET /api/1/datasets/badges/`: udata's map of badge kinds to labels. */
export const DatasetBadgeListSchema = /* @__PURE__ */ lazySchema(() =>
  z.record(z.string(), z.string()).meta({ id: 'DatasetBadgeList', example: DATASET_BADGES }),
);

/** The badges with `kind` added at the end (kept once), or without it. */
export function datasetBadgesWith(badges: readonly DatasetBadge[], kind: string): DatasetBadge[] {
  return badges.some((badge) => badge.kind === kind) ? [...badges] : [...badges, { kind }];
}
export function datasetBadgesWithout(badges: readonly DatasetBadge[], kind: string): DatasetBadge[] {
  return badges.filter((badge) => badge.kind !== kind);
}
