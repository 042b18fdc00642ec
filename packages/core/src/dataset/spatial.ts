import * as z from 'zod';
import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';
import { DEFAULT_GRANULARITY, GranularitySchema, granularityInputSchema } from './granularities';

export const MAX_ZONES = 100;

/** udata zone ids: `country:fr`, `fr:departement:75`, `fr:commune:75056@2020-01-01`. */
const ZONE_ID = /^[a-z][a-z0-9-]*(:[A-Za-z0-9_.-]+)+(@[0-9A-Za-z_.:-]+)?$/;

const zoneId = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Expected a zone id such as "country:fr".' })
    .trim()
    .max(200, 'At most 200 characters.')
    .regex(ZONE_ID, { error: (issue) => `${quoted(issue.input)} is not a zone id such as "country:fr".` }),
);

/** What is stored and served (udata's `geom` is always null: Portail does not store geometries yet). */
export const SpatialCoverageSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ zones: z.array(z.string()), granularity: GranularitySchema }).meta({ id: 'SpatialCoverage' }),
);
export type SpatialCoverage = z.infer<typeof SpatialCoverageSchema>;

/**
 * udata's `{zones[], geom, granularity}` with zones XOR geom. GeoJSON geometries are refused with a
 * 400 until they are stored; zones are checked for shape only (there is no zone catalogue yet).
 */
export const spatialInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object(
      {
        zones: z
          .array(zoneId, { error: 'Expected a list of zone ids.' })
          .max(MAX_ZONES, `At most ${MAX_ZONES} zones.`)
          .nullish()
          .transform((zones) => [...new Set(zones ?? [])]),
        geom: z
          .unknown()
          .optional()
          .refine((value) => value === undefined || value === null, {
            error:
              'GeoJSON geometries are not supported yet: describe the coverage with zones (e.g. "country:fr").',
          })
          .meta({ description: 'Not supported yet: any value other than null answers a 400.' }),
        granularity: granularityInputSchema.nullish().transform((value) => value ?? DEFAULT_GRANULARITY),
      },
      { error: 'Expected an object {zones, granularity}.' },
    )
    .transform(({ zones, granularity }): SpatialCoverage => ({ zones, granularity }))
    .nullable(),
);

/** The IRI a zone is exported under (`dct:spatial` of the DCAT catalogue): udata's zone API path. */
export function zoneIri(apiBase: string, zone: string): string {
  return `${apiBase}/api/1/spatial/zone/${encodeURIComponent(zone)}/`;
}

/**
 * The zone id a zone IRI names (`…/api/1/spatial/zone/{id}/`, as Portail and udata export them), or null
 * for any other place: a harvested catalogue's zones come back as zones, not as names in extras.
 */
export function zoneFromIri(value: string): string | null {
  const match = /\/api\/1\/spatial\/zone\/([^/?#]+)\/?$/.exec(value);
  if (!match) return null;
  let zone: string;
  try {
    zone = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  return zone.length <= 200 && ZONE_ID.test(zone) ? zone : null;
}
