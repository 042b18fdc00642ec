import * as z from 'zod';
import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';

/** The licenses data.gouv.fr offers, with udata's ids. `GET /api/1/datasets/licenses/` lists them. */
export const LicenseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      url: z.string().nullable(),
      maintainer: z.string().nullable(),
      alternate_urls: z.array(z.string()),
      alternate_titles: z.array(z.string()),
      flags: z.object({
        domain_content: z.boolean(),
        domain_data: z.boolean(),
        domain_software: z.boolean(),
        generic: z.boolean(),
        okd_compliant: z.boolean(),
        osi_compliant: z.boolean(),
      }),
    })
    .meta({ id: 'License' }),
);
export type License = z.infer<typeof LicenseSchema>;

type LicenseSeed = Pick<License, 'id' | 'title' | 'url' | 'maintainer'> & {
  alternate_urls?: string[];
  alternate_titles?: string[];
  generic?: boolean;
  okd?: boolean;
};

const seeds: LicenseSeed[] = [
  {
    id: 'lov2',
    title: 'Licence Ouverte / Open Licence version 2.0',
    url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence',
    maintainer: 'Etalab',
    alternate_urls: ['https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf'],
    alternate_titles: ['Licence Ouverte 2.0', 'Etalab Open License 2.0', 'etalab-2.0'],
    okd: true,
  },
  {
    id: 'fr-lo',
    title: 'Licence Ouverte / Open Licence',
    url: 'https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf',
    maintainer: 'Etalab',
    alternate_titles: ['Licence Ouverte', 'Open Licence', 'etalab-1.0'],
    okd: true,
  },
  {
    id: 'odc-odbl',
    title: 'Open Data Commons Open Database License (ODbL)',
    url: 'https://opendatacommons.org/licenses/odbl/summary/',
    maintainer: 'Open Data Commons',
    alternate_urls: [
      'http://opendatacommons.org/licenses/odbl/summary/',
      'https://opendatacommons.org/licenses/odbl/1-0/',
    ],
    alternate_titles: ['ODbL', 'odbl-1.0'],
    okd: true,
  },
  {
    id: 'odc-by',
    title: 'Open Data Commons Attribution License',
    url: 'https://opendatacommons.org/licenses/by/summary/',
    maintainer: 'Open Data Commons',
    alternate_urls: ['http://opendatacommons.org/licenses/by/summary/'],
    alternate_titles: ['ODC-BY', 'odc-by-1.0'],
    okd: true,
  },
  {
    id: 'odc-pddl',
    title: 'Open Data Commons Public Domain Dedication and Licence (PDDL)',
    url: 'https://opendatacommons.org/licenses/pddl/summary/',
    maintainer: 'Open Data Commons',
    alternate_urls: ['http://opendatacommons.org/licenses/pddl/summary/'],
    alternate_titles: ['PDDL', 'pddl-1.0'],
    okd: true,
  },
  {
    id: 'cc-by',
    title: 'Creative Commons Attribution',
    url: 'http://www.opendefinition.org/licenses/cc-by',
    maintainer: 'Creative Commons',
    alternate_urls: ['https://creativecommons.org/licenses/by/4.0/'],
    alternate_titles: ['CC-BY', 'CC-BY-4.0'],
    okd: true,
  },
  {
    id: 'cc-by-sa',
    title: 'Creative Commons Attribution Share-Alike',
    url: 'http://www.opendefinition.org/licenses/cc-by-sa',
    maintainer: 'Creative Commons',
    alternate_urls: ['https://creativecommons.org/licenses/by-sa/4.0/'],
    alternate_titles: ['CC-BY-SA', 'CC-BY-SA-4.0'],
    okd: true,
  },
  {
    id: 'cc-zero',
    title: 'Creative Commons CCZero',
    url: 'http://www.opendefinition.org/licenses/cc-zero',
    maintainer: 'Creative Commons',
    alternate_urls: ['https://creativecommons.org/publicdomain/zero/1.0/'],
    alternate_titles: ['CC0', 'CC0-1.0'],
    okd: true,
  },
  { id: 'other-at', title: 'Other (Attribution)', url: null, maintainer: null, generic: true, okd: true },
  { id: 'other-open', title: 'Other (Open)', url: null, maintainer: null, generic: true, okd: true },
  { id: 'other-pd', title: 'Other (Public Domain)', url: null, maintainer: null, generic: true, okd: true },
  { id: 'notspecified', title: 'License Not Specified', url: null, maintainer: null, generic: true },
];

export const LICENSES: readonly License[] = seeds.map((seed) => ({
  id: seed.id,
  title: seed.title,
  url: seed.url,
  maintainer: seed.maintainer,
  alternate_urls: seed.alternate_urls ?? [],
  alternate_titles: seed.alternate_titles ?? [],
  flags: {
    domain_content: true,
    domain_data: true,
    domain_software: false,
    generic: seed.generic ?? false,
    okd_compliant: seed.okd ?? false,
    osi_compliant: false,
  },
}));

export const LICENSE_IDS = LICENSES.map((license) => license.id) as [string, ...string[]];
export const DEFAULT_LICENSE = 'notspecified';

export const licenseIdSchema = /* @__PURE__ */ lazySchema(() =>
  z.string().refine((value) => LICENSE_IDS.includes(value), {
    error: (issue) => `Unknown license ${quoted(issue.input)}. Allowed values: ${LICENSE_IDS.join(', ')}.`,
  }),
);
