import { describe, expect, it } from 'vitest';
import { SCHEMA_CATALOG, schemaRefInput } from './schema-catalog';

describe('schemaRefInput', () => {
  it('keeps a catalogue name with a listed version, `latest` or none', () => {
    expect(schemaRefInput.parse({ name: 'scdl/subventions', version: '2.1.0' })).toEqual({
      name: 'scdl/subventions',
      version: '2.1.0',
      url: null,
    });
    expect(schemaRefInput.parse({ name: 'scdl/subventions', version: 'latest' })?.version).toBe('latest');
    expect(schemaRefInput.parse({ name: 'scdl/subventions' })?.version).toBeNull();
  });

  it('turns the url of a listed version into its name and version', () => {
    const url = SCHEMA_CATALOG.find((entry) => entry.name === 'etalab/schema-irve-statique')?.versions.at(
      -1,
    )?.schema_url;
    expect(schemaRefInput.parse({ url })).toEqual({
      name: 'etalab/schema-irve-statique',
      version: '2.3.1',
      url: null,
    });
  });

  it('keeps any other http(s) url, with whatever name and version come with it', () => {
    expect(schemaRefInput.parse({ url: 'https://example.org/s.json', name: 'mine', version: '3' })).toEqual({
      name: 'mine',
      version: '3',
      url: 'https://example.org/s.json',
    });
  });

  it('reads null, nothing and all-empty fields as no schema', () => {
    expect(schemaRefInput.parse(null)).toBeNull();
    expect(schemaRefInput.parse(undefined)).toBeNull();
    expect(schemaRefInput.parse({ name: '', version: ' ', url: null })).toBeNull();
  });

  it('refuses an unknown name or version, a version alone, a non-http url, a string', () => {
    const paths = (value: unknown) => {
      const result = schemaRefInput.safeParse(value);
      return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    };
    expect(paths({ name: 'made/up' })).toEqual(['name']);
    expect(paths({ name: 'scdl/subventions', version: '0.0.0' })).toEqual(['version']);
    expect(paths({ version: '1.0.0' })).toEqual(['version']);
    expect(paths({ url: 'ftp://example.org/s.json' })).toEqual(['url']);
    expect(paths('scdl/subventions')).toEqual(['']);
  });
});
