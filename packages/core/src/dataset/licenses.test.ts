import { describe, expect, it } from 'vitest';
import { DEFAULT_LICENSE, LICENSE_IDS, LICENSES, LicenseSchema, licenseIdSchema } from './licenses';

/** data.gouv.fr's license ids (reference §1a). */
const UDATA_LICENSE_IDS = [
  'cc-by',
  'cc-by-sa',
  'cc-zero',
  'fr-lo',
  'lov2',
  'notspecified',
  'odc-by',
  'odc-odbl',
  'odc-pddl',
  'other-at',
  'other-open',
  'other-pd',
];

describe('licenses', () => {
  it("offers exactly data.gouv.fr's license ids", () => {
    expect([...LICENSE_IDS].sort()).toEqual(UDATA_LICENSE_IDS);
    expect(new Set(LICENSE_IDS).size).toBe(LICENSE_IDS.length);
  });

  it('defaults to notspecified, which is one of them', () => {
    expect(DEFAULT_LICENSE).toBe('notspecified');
    expect(LICENSE_IDS).toContain(DEFAULT_LICENSE);
  });

  it('describes each license with the fields GET /datasets/licenses/ serves', () => {
    for (const license of LICENSES) expect(LicenseSchema.parse(license)).toEqual(license);
  });

  it('marks the Licence Ouverte 2.0 as open and recognizable by its usual names', () => {
    const lov2 = LICENSES.find((license) => license.id === 'lov2');
    expect(lov2?.flags.okd_compliant).toBe(true);
    expect(lov2?.alternate_titles).toContain('etalab-2.0');
  });
});

describe('licenseIdSchema', () => {
  it.each(UDATA_LICENSE_IDS)('accepts %s', (id) => {
    expect(licenseIdSchema.parse(id)).toBe(id);
  });

  it('refuses an unknown license with a message listing every allowed id', () => {
    const result = licenseIdSchema.safeParse('mit');
    expect(result.success).toBe(false);
    const message = result.error?.issues[0]?.message ?? '';
    expect(message).toContain('Unknown license "mit"');
    for (const id of UDATA_LICENSE_IDS) expect(message).toContain(id);
  });

  it('is case-sensitive, as udata ids are', () => {
    expect(licenseIdSchema.safeParse('CC-BY').success).toBe(false);
  });
});
