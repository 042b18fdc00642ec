import { LICENSES } from '../dataset/licenses';

/**
 * The Portail license a remote means, from whatever it published: a license id (CKAN `license_id`,
 * SPDX), a URL (Creative Commons, Open Data Commons, Etalab, SPDX, EU authority IRIs) or a label
 * (CKAN `license_title`, Opendatasoft's labels, DCAT literals). Values are tried in order; the first
 * that matches wins. Null when nothing matched: the caller keeps the raw values in extras.
 */

/** Labels and ids seen in catalogues beyond those of the license list itself. */
const ALIASES: Record<string, string[]> = {
  lov2: [
    'etalab-2.0',
    'Licence Ouverte v2.0',
    'Licence Etalab 2.0',
    'Licence Ouverte version 2',
    'lo-2.0',
    'lov2.0',
    'Open Licence 2.0',
    'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    'https://github.com/etalab/licence-ouverte/blob/master/LO.md',
    'https://spdx.org/licenses/etalab-2.0',
  ],
  'fr-lo': [
    'Licence Ouverte (Etalab)',
    'Licence ouverte / Open Licence',
    'Licence Ouverte 1.0',
    'Licence Ouverte version 1',
    'Licence Etalab',
    'lo-1.0',
    'lo',
    'http://www.data.gouv.fr/Licence-Ouverte-Open-Licence',
  ],
  'odc-odbl': [
    'Open Database License (ODbL)',
    'Open Database License',
    'ODC-ODbL',
    'ODbL-1.0',
    'odc-odbl-1.0',
    'Open Data Commons Open Database License',
  ],
  'odc-by': ['ODC-By-1.0', 'Open Data Commons Attribution License'],
  'odc-pddl': ['PDDL-1.0', 'Open Data Commons Public Domain Dedication and License'],
  'cc-by': ['CC BY', 'CC BY 4.0', 'CC-BY-3.0', 'CC BY 3.0', 'Creative Commons Attribution 4.0', 'cc-by-4.0'],
  'cc-by-sa': ['CC BY-SA', 'CC BY-SA 4.0', 'CC-BY-SA-3.0', 'Creative Commons Attribution Share Alike 4.0'],
  'cc-zero': ['CC0 1.0', 'cc0', 'CC Zero', 'Creative Commons Zero'],
  'other-pd': ['Public Domain', 'Domaine public', 'other-pd'],
  'other-at': ['Other (Attribution)', 'other-at'],
  'other-open': ['Other (Open)', 'other-open'],
  notspecified: ['License not specified', 'Licence non spécifiée', 'notspecified'],
};

/** URL families (host and path, without scheme, `www.` or trailing slash). */
const URL_PATTERNS: [RegExp, string][] = [
  [/^creativecommons\.org\/licenses\/by\/[\d.]+(\/[a-z-]+)?(\/(deed|legalcode)[.a-z-]*)?$/, 'cc-by'],
  [/^creativecommons\.org\/licenses\/by-sa\/[\d.]+(\/[a-z-]+)?(\/(deed|legalcode)[.a-z-]*)?$/, 'cc-by-sa'],
  [/^creativecommons\.org\/publicdomain\/zero\/1\.0(\/(deed|legalcode)[.a-z-]*)?$/, 'cc-zero'],
  [/^opendatacommons\.org\/licenses\/odbl(\/.*)?$/, 'odc-odbl'],
  [/^opendatacommons\.org\/licenses\/by(\/.*)?$/, 'odc-by'],
  [/^opendatacommons\.org\/licenses\/pddl(\/.*)?$/, 'odc-pddl'],
  [/^opendefinition\.org\/licenses\/(cc-by|odc-odbl|odc-by|odc-pddl|cc-zero|cc-by-sa)$/, '$1'],
  [/^etalab\.gouv\.fr\/licence-ouverte-open-licence$/, 'lov2'],
  [/^etalab\.gouv\.fr\/wp-content\/uploads\/2017\/04\/etalab-licence-ouverte-v2\.0\.pdf$/, 'lov2'],
  [/^etalab\.gouv\.fr\/wp-content\/uploads\/2014\/05\/licence_ouverte\.pdf$/, 'fr-lo'],
  [/^(data\.gouv\.fr|etalab\.gouv\.fr)\/licence-ouverte-open-licence$/, 'fr-lo'],
  [/^etalab\.gouv\.fr\/pages\/licence_ouverte_open_licence-\d+\.html$/, 'fr-lo'],
  [/^publications\.europa\.eu\/resource\/authority\/licence\/cc_by(_[\d_]+)?$/, 'cc-by'],
  [/^publications\.europa\.eu\/resource\/authority\/licence\/cc_bysa(_[\d_]+)?$/, 'cc-by-sa'],
  [/^publications\.europa\.eu\/resource\/authority\/licence\/cc0(_[\d_]+)?$/, 'cc-zero'],
  [/^publications\.europa\.eu\/resource\/authority\/licence\/(odc_)?odbl$/, 'odc-odbl'],
  [/^publications\.europa\.eu\/resource\/authority\/licence\/odc_by$/, 'odc-by'],
  [/^publications\.europa\.eu\/resource\/authority\/licence\/odc_pddl$/, 'odc-pddl'],
  [/^publications\.europa\.eu\/resource\/authority\/licence\/etalab_2_0$/, 'lov2'],
  [/^spdx\.org\/licenses\/etalab-2\.0(\.html)?$/, 'lov2'],
  [/^spdx\.org\/licenses\/cc-by-[\d.]+(\.html)?$/, 'cc-by'],
  [/^spdx\.org\/licenses\/cc-by-sa-[\d.]+(\.html)?$/, 'cc-by-sa'],
  [/^spdx\.org\/licenses\/cc0-1\.0(\.html)?$/, 'cc-zero'],
  [/^spdx\.org\/licenses\/odbl-1\.0(\.html)?$/, 'odc-odbl'],
  [/^spdx\.org\/licenses\/odc-by-1\.0(\.html)?$/, 'odc-by'],
  [/^spdx\.org\/licenses\/pddl-1\.0(\.html)?$/, 'odc-pddl'],
];

/** Lower case, no accents, `license`→`licence`, no "version"/"v", punctuation to spaces. */
export function foldLicenseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\blicense\b/g, 'licence')
    .replace(/\bversion\b/g, ' ')
    .replace(/\bv(?=\d)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

function foldUrl(value: string): string | null {
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return null;
  const url = new URL(value);
  return `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
}

const byText = new Map<string, string>();
const byUrl = new Map<string, string>();
for (const license of LICENSES) {
  for (const text of [license.id, license.title, ...license.alternate_titles]) {
    byText.set(foldLicenseText(text), license.id);
  }
  for (const url of [license.url, ...license.alternate_urls]) {
    const folded = url ? foldUrl(url) : null;
    if (folded && !byUrl.has(folded)) byUrl.set(folded, license.id);
  }
}
for (const [id, aliases] of Object.entries(ALIASES)) {
  for (const alias of aliases) {
    const folded = foldUrl(alias);
    if (folded) byUrl.set(folded, id);
    else byText.set(foldLicenseText(alias), id);
  }
}

function exactGuess(value: string): string | null {
  const url = foldUrl(value);
  if (url) {
    const known = byUrl.get(url);
    if (known) return known;
    for (const [pattern, id] of URL_PATTERNS) {
      const match = pattern.exec(url);
      if (match) return id.startsWith('$') ? (match[1] ?? null) : id;
    }
    return null;
  }
  return byText.get(foldLicenseText(value)) ?? null;
}

function levenshtein(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** The first value that names a known license, exactly, then within two typos. */
export function guessLicense(values: readonly (string | null | undefined)[]): string | null {
  const candidates = values
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.trim())
    .filter((value) => value.length > 0 && value.length <= 500);
  for (const value of candidates) {
    const id = exactGuess(value);
    if (id) return id;
  }
  for (const value of candidates) {
    if (foldUrl(value)) continue;
    const folded = foldLicenseText(value);
    if (folded.length < 6) continue;
    for (const [text, id] of byText) {
      if (text.length >= 6 && levenshtein(folded, text, 2) <= 2) return id;
    }
  }
  return null;
}
