/**
 * The generated French catalogue the search benches index: the same datasets at every call (seeded by
 * their number), so phases regenerate what they need instead of holding them all, and the queries run
 * over it.
 */
import {
  type Dataset,
  DatasetCreateInputSchema,
  datasetSearchDocument,
  newDataset,
  newRemoteResource,
  type Resource,
  ResourceCreateInputSchema,
  type SearchDocument,
} from '@portail/core';

const SUBJECTS = [
  'Qualité de l’eau',
  'Consommation d’énergie',
  'Budget',
  'Transports en commun',
  'Accidents de la route',
  'Élections',
  'Population',
  'Logements sociaux',
  'Déchets ménagers',
  'Qualité de l’air',
  'Écoles et collèges',
  'Hôpitaux',
  'Bornes de recharge',
  'Pistes cyclables',
  'Prix des carburants',
  'Arbres remarquables',
  'Marchés publics',
  'Subventions',
  'Emploi',
  'Agriculture biologique',
  'Monuments historiques',
  'Musées',
  'Délinquance',
  'Stationnement',
  'Réseau électrique',
];
const PLACES = [
  'Paris',
  'Lyon',
  'Marseille',
  'Toulouse',
  'Nantes',
  'Bordeaux',
  'Lille',
  'Rennes',
  'Strasbourg',
  'Montpellier',
  'la Région Bretagne',
  'l’Occitanie',
  'la Métropole du Grand Nancy',
  'la commune de Saint-Étienne',
  'du département du Nord',
];
const WORDS =
  'données annuelles relevés mesures communes départements indicateurs statistiques séries historiques capteurs stations réseau usagers habitants dépenses recettes investissement fonctionnement parcelles bâtiments adresses géolocalisées fichier export quotidien mensuel trimestriel'.split(
    ' ',
  );
const TAGS = [
  'environnement',
  'transport',
  'sante',
  'finances',
  'education',
  'energie',
  'logement',
  'mobilite',
  'culture',
  'securite',
  'emploi',
  'agriculture',
];
const LICENSES = ['lov2', 'cc-by', 'odc-odbl', 'cc-by-sa', 'notspecified'];
const FORMATS = ['csv', 'json', 'geojson', 'pdf', 'xlsx', 'shp', 'xml'];

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

export const idOf = (i: number) => i.toString(16).padStart(24, '0');
const organizationOf = (i: number) => (1_000_000 + (i % 500)).toString(16).padStart(24, '0');

/**
 * The `i`-th generated dataset (and its one resource), the same at every call: the phases regenerate
 * what they need instead of holding 100,000 datasets beside the index they measure.
 */
export function generated(i: number): { dataset: Dataset; resources: Resource[] } {
  const next = random(i * 7919 + 17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const title = `${pick(SUBJECTS)} ${pick(PLACES)} ${2010 + Math.floor(next() * 15)}`;
  const description = Array.from({ length: 30 + Math.floor(next() * 40) }, () => pick(WORDS)).join(' ');
  const tags = [...new Set([pick(TAGS), pick(TAGS)])].sort();
  const format = pick(FORMATS);
  const organization = organizationOf(i);
  const created = new Date(Date.parse('2020-01-01T00:00:00Z') + i * 60_000);
  const base = newDataset(
    DatasetCreateInputSchema.parse({ title, description, tags, license: pick(LICENSES) }),
    { id: idOf(i), slug: `jeu-${i}` },
    {
      kind: 'organization',
      id: organization,
      slug: `organisation-${i % 500}`,
      name: `Organisation ${i % 500}`,
    },
    created,
  );
  const resource = newRemoteResource(
    ResourceCreateInputSchema.parse({
      title: `${title}.${format}`,
      url: `https://example.org/${i}.${format}`,
      format,
    }),
    { id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, dataset: base.id },
    created,
  );
  const dataset: Dataset = { ...base, formats: [format], resource_order: [resource.id] };
  return { dataset, resources: [resource] };
}

/** Its document, as the indexer makes it from the table (the seeded ones are indexed again the same). */
export function documentOf(i: number): SearchDocument {
  const { dataset, resources } = generated(i);
  return datasetSearchDocument(dataset, { resources, organizationBadges: [] });
}

/** The generated documents, `size` at a time. */
export function* batches(n: number, size: number): Generator<SearchDocument[]> {
  for (let start = 0; start < n; start += size)
    yield Array.from({ length: Math.min(size, n - start) }, (_, k) => documentOf(start + k));
}

/** The heap in use once garbage is collected (when the process allows it: `--expose-gc`). */
export function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export const QUERY_TEXTS = [
  'qualite eau',
  'budget',
  'transports',
  'accidents route',
  'energie paris',
  'logement social',
  'dechets',
  'elections 2020',
  'ecoles lyon',
  'hopitaux',
  'bornes recharge',
  'qualité de l’air',
  'carburant',
  'pistes cyclables bordeaux',
  'subvention',
  'budjet',
  'agriculture bio',
  'musees',
  'stationnement',
  'population nantes',
];
