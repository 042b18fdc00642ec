import { type ApiGet, LabelListSchema, LicenseListSchema } from './api';

/** Labels the pages show instead of ids (licenses, frequencies, granularities), read from the API. */
export interface Lookups {
  license(id: string): { title: string; url: string | null };
  frequency(id: string): string;
  granularity(id: string | null | undefined): string | null;
}

/** Reference lists change with a deployment only: one read per container and 10 minutes. */
const TTL_MS = 10 * 60_000;
let cached: { at: number; base: string; lookups: Promise<Lookups> } | null = null;

async function load(api: ApiGet): Promise<Lookups> {
  const [licenses, frequencies, granularities] = await Promise.all([
    api('/api/1/datasets/licenses/', LicenseListSchema),
    api('/api/1/datasets/frequencies/', LabelListSchema),
    api('/api/1/datasets/granularities/', LabelListSchema),
  ]);
  const licenseById = new Map(licenses.map((license) => [license.id, license]));
  const frequencyById = new Map(frequencies.map((entry) => [entry.id, entry.label]));
  const granularityById = new Map(granularities.map((entry) => [entry.id, entry.label]));
  return {
    license: (id) => licenseById.get(id) ?? { title: id, url: null },
    frequency: (id) => frequencyById.get(id) ?? id,
    granularity: (id) => (id ? (granularityById.get(id) ?? id) : null),
  };
}

export function lookups(api: ApiGet, base: string): Promise<Lookups> {
  const now = Date.now();
  if (!cached || cached.base !== base || now - cached.at > TTL_MS) {
    const pending = load(api);
    cached = { at: now, base, lookups: pending };
    // A failed read is not remembered.
    pending.catch(() => {
      if (cached?.lookups === pending) cached = null;
    });
  }
  return cached.lookups;
}
