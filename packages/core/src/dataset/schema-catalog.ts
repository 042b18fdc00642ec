import * as z from 'zod';
import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';
import { httpUrl } from '../schema-helpers';

/**
 * The table schemas a dataset or a resource may declare by name, with their published versions: the
 * schemas of schema.data.gouv.fr that data.gouv.fr producers use most. udata fetches that catalogue
 * (`SCHEMA_CATALOG_URL`) at run time; Portail keeps it as a reference list, like the licenses, so a
 * write never waits on another site. A schema outside it is declared by its `url`.
 */
export const SchemaCatalogEntrySchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      name: z.string(),
      title: z.string(),
      schema_type: z.string(),
      versions: z.array(z.object({ version_name: z.string(), schema_url: z.string() })),
    })
    .meta({ id: 'SchemaCatalogEntry' }),
);
export type SchemaCatalogEntry = z.infer<typeof SchemaCatalogEntrySchema>;

const CATALOG_BASE = 'https://schema.data.gouv.fr/schemas';

interface Seed {
  name: string;
  title: string;
  versions: string[];
  /** The file name of each version's schema (default `schema.json`). */
  file?: string;
  type?: string;
}

const seeds: Seed[] = [
  {
    name: '139bercy/format-commande-publique',
    title: 'Données essentielles des marchés publics',
    versions: ['1.4.0', '1.5.0', '2.0.0'],
    file: 'marches.json',
    type: 'jsonschema',
  },
  {
    name: 'arsante/schema-dae',
    title: 'Défibrillateurs automatisés externes',
    versions: ['1.0.0', '1.0.2', '1.0.3'],
  },
  { name: 'cnigfr/schema-friches', title: 'Standard CNIG Friches', versions: ['1.0.1', '1.0.2'] },
  {
    name: 'etalab/schema-amenagements-cyclables',
    title: 'Aménagements cyclables',
    versions: ['0.2.3', '0.3.1'],
    file: 'schema_amenagements_cyclables.json',
  },
  { name: 'etalab/schema-decp-dpa', title: "Déclaration de profil d'acheteur", versions: ['1.0.0'] },
  {
    name: 'etalab/schema-irve',
    title: 'Infrastructures de recharge pour véhicules électriques',
    versions: ['1.0.1', '1.0.3', '2.0.0'],
  },
  {
    name: 'etalab/schema-irve-statique',
    title: 'IRVE statique',
    versions: ['2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.1.0', '2.2.0', '2.2.1', '2.3.0', '2.3.1'],
    file: 'schema-statique.json',
  },
  {
    name: 'etalab/schema-lieux-covoiturage',
    title: 'Lieux de covoiturage',
    versions: [
      '0.0.1',
      '0.1.0',
      '0.1.1',
      '0.1.2',
      '0.2.0',
      '0.2.1',
      '0.2.2',
      '0.2.3',
      '0.2.4',
      '0.2.5',
      '0.2.6',
      '0.2.7',
    ],
  },
  { name: 'etalab/schema-stationnement', title: 'Stationnement', versions: ['0.1.1', '0.1.2', '0.1.3'] },
  {
    name: 'etalab/schema-stationnement-cyclable',
    title: 'Stationnement cyclable',
    versions: ['0.2.1', '1.0.0'],
  },
  { name: 'etalab/schema-zfe', title: 'Zones à faibles émissions', versions: ['0.7.2'] },
  { name: 'scdl/adresses', title: 'Adresses locales', versions: ['1.1.3'] },
  {
    name: 'scdl/budget',
    title: 'Budget des collectivités',
    versions: ['0.2.0', '0.2.1', '0.3.0', '0.4.0', '0.5.0', '0.5.1', '0.6.0', '0.7.0', '0.8.0'],
  },
  { name: 'scdl/catalogue', title: 'Catalogue simplifié', versions: ['0.1.1', '0.1.2'] },
  {
    name: 'scdl/deliberations',
    title: 'Délibérations',
    versions: ['1.1.0', '2.0.0', '2.1.0', '2.1.1', '2.1.2', '2.1.3', '2.1.4'],
  },
  {
    name: 'scdl/equipements',
    title: 'Équipements collectifs',
    versions: ['0.1.0', '0.1.1', '0.1.2', '0.1.3'],
  },
  { name: 'scdl/menus-collectifs', title: 'Menus des cantines', versions: ['1.2.0', '1.2.1'] },
  { name: 'scdl/subventions', title: 'Subventions', versions: ['1.1.0', '2.0.0', '2.0.1', '2.0.2', '2.1.0'] },
];

export const SCHEMA_CATALOG: readonly SchemaCatalogEntry[] = seeds.map((seed) => ({
  name: seed.name,
  title: seed.title,
  schema_type: seed.type ?? 'tableschema',
  versions: seed.versions.map((version) => ({
    version_name: version,
    schema_url: `${CATALOG_BASE}/${seed.name}/${version}/${seed.file ?? 'schema.json'}`,
  })),
}));

const byName = new Map(SCHEMA_CATALOG.map((entry) => [entry.name, entry]));
const byUrl = new Map(
  SCHEMA_CATALOG.flatMap((entry) =>
    entry.versions.map((version) => [
      version.schema_url,
      { name: entry.name, version: version.version_name },
    ]),
  ),
);

const MAX_NAME_LENGTH = 300;
const MAX_VERSION_LENGTH = 100;
const MAX_SCHEMA_URL_LENGTH = 2048;

const emptyToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

/** `{name, version, url}` as stored and presented (udata's `schema`). */
export const ResourceSchemaRefSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      name: z.string().nullable(),
      version: z.string().nullable(),
      url: z.string().nullable(),
    })
    .meta({ id: 'ResourceSchemaRef' }),
);
export type ResourceSchemaRef = z.infer<typeof ResourceSchemaRefSchema>;

/**
 * A declared schema, checked as udata checks it: an `url` of a catalogue version becomes that name and
 * version; any other http(s) `url` is kept as given; a `name` must be in the catalogue and its `version`
 * (if any) one of its versions or `latest`; a version needs a name or an url. Nothing declared is null.
 */
export const schemaRefInput = /* @__PURE__ */ lazySchema(() =>
  z
    .object(
      {
        name: z.preprocess(emptyToNull, z.string().trim().max(MAX_NAME_LENGTH).nullish()),
        version: z.preprocess(emptyToNull, z.string().trim().max(MAX_VERSION_LENGTH).nullish()),
        url: z.preprocess(emptyToNull, httpUrl(MAX_SCHEMA_URL_LENGTH).nullish()),
      },
      { error: 'Expected an object {name, version, url}, or null.' },
    )
    .nullish()
    .superRefine((value, ctx) => {
      if (!value || value.url) return;
      if (!value.name) {
        if (value.version) {
          ctx.addIssue({
            code: 'custom',
            path: ['version'],
            message: 'A schema must have a name or an url when a version is given.',
          });
        }
        return;
      }
      const entry = byName.get(value.name);
      if (!entry) {
        ctx.addIssue({
          code: 'custom',
          path: ['name'],
          message: `Schema name ${quoted(value.name)} is not an allowed value. Allowed values: ${[...byName.keys()].join(', ')} (GET /api/1/datasets/schemas/ lists them), or give the schema's url.`,
        });
        return;
      }
      const versions = entry.versions.map((version) => version.version_name);
      if (value.version && value.version !== 'latest' && !versions.includes(value.version)) {
        ctx.addIssue({
          code: 'custom',
          path: ['version'],
          message: `Version ${quoted(value.version)} is not an allowed value for the schema ${quoted(value.name)}. Allowed versions: ${[...versions, 'latest'].join(', ')}.`,
        });
      }
    })
    .transform((value): ResourceSchemaRef | null => {
      if (!value) return null;
      const name = value.name ?? null;
      const version = value.version ?? null;
      const url = value.url ?? null;
      if (url) {
        const known = byUrl.get(url);
        if (known) return { name: known.name, version: known.version, url: null };
      }
      if (!name && !url) return null;
      return { name, version, url };
    }),
);
