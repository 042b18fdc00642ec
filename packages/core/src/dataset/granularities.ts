import * as z from 'zod';
import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';

/**
 * udata's spatial granularities as data.gouv.fr configures them (reference §1a): its geographic levels
 * plus `poi` and `other`, in udata's order. `GET /api/1/datasets/granularities/` lists them.
 */
const granularityTable = [
  ['country-group', 'Country group'],
  ['country', 'Country'],
  ['country-subset', 'Sub-country'],
  ['fr:region', 'French region'],
  ['fr:departement', 'French county'],
  ['fr:arrondissement', 'French arrondissement'],
  ['fr:commune', 'French town'],
  ['fr:iris', 'Iris (Insee districts)'],
  ['fr:canton', 'French canton'],
  ['fr:collectivite', 'French overseas collectivities'],
  ['fr:epci', 'French intermunicipal (EPCI)'],
  ['poi', 'POI'],
  ['other', 'Other'],
] as const;

export type Granularity = (typeof granularityTable)[number][0];

export const GRANULARITIES: readonly { id: Granularity; label: string }[] = granularityTable.map(
  ([id, label]) => ({ id, label }),
);

export const GRANULARITY_IDS = GRANULARITIES.map((granularity) => granularity.id) as [
  Granularity,
  ...Granularity[],
];
export const DEFAULT_GRANULARITY: Granularity = 'other';

export const GranularitySchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(GRANULARITY_IDS).meta({ id: 'Granularity' }),
);

/** A granularity on input: the message lists the allowed values. */
export const granularityInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Expected a granularity id.' })
    .refine((value) => (GRANULARITY_IDS as readonly string[]).includes(value), {
      error: (issue) =>
        `Unknown granularity ${quoted(issue.input)}. Allowed values: ${GRANULARITY_IDS.join(', ')}.`,
    })
    .transform((value) => value as Granularity),
);

export const GranularityEntrySchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: GranularitySchema, label: z.string() }).meta({ id: 'GranularityEntry' }),
);

/** udata's `GET /api/1/spatial/granularities/` names the label `name`. */
export const SpatialGranularitySchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: GranularitySchema, name: z.string() }).meta({ id: 'SpatialGranularity' }),
);

/**
 * The granularity a text names, or null: the catalogue exports a dataset's granularity as its id
 * (`geodcat:spatialResolutionAsText`), and the harvester reads it back only when it is one of these.
 */
export function granularityFromText(value: string): Granularity | null {
  const id = value.trim().toLowerCase();
  return GRANULARITIES.find((granularity) => granularity.id === id)?.id ?? null;
}
