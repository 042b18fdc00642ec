import { describe, expect, it } from 'vitest';
import { remoteDateTime } from './finish';
import { formatFromRemote, mimeFromRemote } from './format';
import { frequencyFromRemote } from './frequency';
import { geometryFromBbox, geometryFromGeoJson, geometryFromText, geometryFromWkt } from './geometry';
import { guessLicense } from './license';
import { matchResources, resourceUrlKey } from './resource-identity';
import { dayFromRemote, temporalFromText } from './temporal';

describe('frequencies from remote vocabularies', () => {
  it.each([
    ['http://purl.org/cld/freq/daily', 'daily'],
    ['https://purl.org/cld/freq/threeTimesAWeek', 'threeTimesAWeek'],
    ['http://publications.europa.eu/resource/authority/frequency/ANNUAL', 'annual'],
    ['https://publications.europa.eu/resource/authority/frequency/ANNUAL', 'annual'],
    ['http://publications.europa.eu/resource/authority/frequency/IRREG', 'irregular'],
    ['http://publications.europa.eu/resource/authority/frequency/AS_NEEDED', 'punctual'],
    ['http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT', 'continuous'],
    ['http://publications.europa.eu/resource/authority/frequency/DAILY_2', 'semidaily'],
    ['http://purl.org/linked-data/sdmx/2009/code#freq-M', 'monthly'],
    ['daily', 'daily'],
    ['DAILY', 'daily'],
    ['irreg', 'irregular'],
    ['as_needed', 'punctual'],
    ['notPlanned', 'notPlanned'],
    ['fortnighly', 'biweekly'],
    ['annuel', 'annual'],
    ['Quotidienne', 'daily'],
    ['Trimestriel', 'quarterly'],
    ['P1M', 'monthly'],
    ['PT1H', 'hourly'],
    ['R/P1Y', null],
    ['http://purl.org/cld/freq/ThisTermDoesNotExist', null],
    ['https://example.org/annual', null],
    ['', null],
  ])('%s → %s', (value, expected) => {
    expect(frequencyFromRemote(value)).toBe(expected);
  });
});

describe('licence guessing', () => {
  it.each([
    [['lov2'], 'lov2'],
    [['Licence Ouverte Version 2.0'], 'lov2'],
    [['Licence Ouverte v2.0'], 'lov2'],
    [['etalab-2.0'], 'lov2'],
    [['https://www.etalab.gouv.fr/licence-ouverte-open-licence'], 'lov2'],
    [['Licence Ouverte (Etalab)'], 'fr-lo'],
    [['Licence ouverte / Open Licence'], 'fr-lo'],
    [['Licence Ouverte Version 1.0'], 'fr-lo'],
    [['Open Database License (ODbL)'], 'odc-odbl'],
    [['ODbL'], 'odc-odbl'],
    [['http://opendatacommons.org/licenses/odbl/1.0/'], 'odc-odbl'],
    [['CC BY-SA'], 'cc-by-sa'],
    [['https://creativecommons.org/licenses/by/4.0/deed.fr'], 'cc-by'],
    [['http://creativecommons.org/licenses/by-sa/3.0/'], 'cc-by-sa'],
    [['https://creativecommons.org/publicdomain/zero/1.0/'], 'cc-zero'],
    [['http://publications.europa.eu/resource/authority/licence/CC_BY_4_0'], 'cc-by'],
    [['https://spdx.org/licenses/CC0-1.0.html'], 'cc-zero'],
    [['Public Domain'], 'other-pd'],
    [['Licence Ouvert Version 2.0'], 'lov2'],
    [[null, '', 'cc-by'], 'cc-by'],
    [['https://data.some.org/link/to/license'], null],
    [['Some licence of our own'], null],
    [[], null],
  ])('%j → %s', (values, expected) => {
    expect(guessLicense(values)).toBe(expected);
  });
});

describe('formats and media types', () => {
  it.each([
    ['http://publications.europa.eu/resource/authority/file-type/CSV', 'csv'],
    ['https://www.iana.org/assignments/media-types/application/json', 'json'],
    ['http://www.iana.org/assignments/media-types/text/csv', 'csv'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['application/vnd.geo+json', 'geojson'],
    ['CSV', 'csv'],
    ['.XLS', 'xls'],
    ['', null],
  ])('format of %s is %s', (value, expected) => {
    expect(formatFromRemote(value)).toBe(expected);
  });

  it('reads media types from IANA IRIs over http and https, and refuses anything else', () => {
    expect(mimeFromRemote('https://www.iana.org/assignments/media-types/text/csv')).toBe('text/csv');
    expect(mimeFromRemote('http://www.iana.org/assignments/media-types/text/csv')).toBe('text/csv');
    expect(mimeFromRemote('text/csv; charset=utf-8')).toBe('text/csv');
    expect(mimeFromRemote('CSV')).toBeNull();
  });
});

describe('temporal coverage', () => {
  it.each([
    ['2019', { start: '2019-01-01', end: '2019-12-31' }],
    ['2020-02', { start: '2020-02-01', end: '2020-02-29' }],
    ['2016-01-01/2016-12-05', { start: '2016-01-01', end: '2016-12-05' }],
    ['2016-01-01T00:00:00/2016-12-05T23:00:00+02:00', { start: '2016-01-01', end: '2016-12-05' }],
    ['2010/..', { start: '2010-01-01', end: null }],
    ['2020/2010', null],
    ['2019-13', null],
    ['yesterday', null],
  ])('%s', (value, expected) => {
    expect(temporalFromText(value)).toEqual(expected);
  });

  it('keeps date-times to the day as written', () => {
    expect(dayFromRemote('2016-12-31T23:30:00-05:00', 'start')).toBe('2016-12-31');
  });
});

describe('remote dates', () => {
  it.each([
    ['2016-12-14T19:01:24.184120', '2016-12-14T19:01:24.184Z'],
    ['2024-04-15T09:08:02+02:00', '2024-04-15T07:08:02.000Z'],
    ['2012-05-10', '2012-05-10T00:00:00.000Z'],
    ['2012-05-10T21:04', '2012-05-10T21:04:00.000Z'],
    ['mar, 10/12/2019 - 09:23', null],
    ['2019-02-30', null],
  ])('%s → %s', (value, expected) => {
    expect(remoteDateTime(value)).toBe(expected);
  });
});

describe('geometries', () => {
  const square = [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ],
  ];
  it('reads GeoJSON polygons and widens them to MultiPolygon; refuses points', () => {
    expect(geometryFromGeoJson({ type: 'Polygon', coordinates: square })).toEqual({
      type: 'MultiPolygon',
      coordinates: [square],
    });
    expect(
      geometryFromGeoJson(
        JSON.stringify({ type: 'Feature', geometry: { type: 'Polygon', coordinates: square } }),
      ),
    ).not.toBeNull();
    expect(geometryFromGeoJson({ type: 'Point', coordinates: [1, 2] })).toBeNull();
    expect(geometryFromGeoJson('{not json')).toBeNull();
  });

  it('reads bounding boxes and WKT', () => {
    expect(geometryFromBbox('25,-22,33,-15')?.coordinates[0]?.[0]).toHaveLength(5);
    expect(geometryFromBbox('33,-22,25,-15')).toBeNull();
    expect(geometryFromWkt('POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))')?.coordinates).toEqual([square]);
    expect(
      geometryFromWkt('SRID=4326;MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)),((2 2, 3 2, 3 3, 2 3, 2 2)))')
        ?.coordinates,
    ).toHaveLength(2);
    expect(geometryFromWkt('ENVELOPE(0, 1, 1, 0)')?.coordinates).toHaveLength(1);
    expect(geometryFromText('POINT(1 2)')).toBeNull();
  });
});

describe('resource identity', () => {
  it('ignores scheme, fragment, volatile and reordered query parameters', () => {
    const key = resourceUrlKey(
      'https://portal.example.org/explore/dataset/x/download?format=csv&use_labels_for_header=false&timezone=Europe/Berlin',
    );
    expect(
      resourceUrlKey(
        'http://PORTAL.example.org:80/explore/dataset/x/download?use_labels_for_header=true&format=csv#top',
      ),
    ).toBe(key);
    expect(resourceUrlKey('https://portal.example.org/explore/dataset/x/download?format=json')).not.toBe(key);
    expect(resourceUrlKey('https://s3.example.org/f.csv?X-Amz-Signature=abc&X-Amz-Date=1&utm_source=x')).toBe(
      resourceUrlKey('https://s3.example.org/f.csv'),
    );
    expect(resourceUrlKey('https://example.org/File.csv')).not.toBe(
      resourceUrlKey('https://example.org/file.csv'),
    );
  });

  it('matches by remote id first, then by URL key, each stored resource once', () => {
    const stored = [
      { id: 'a', remote_id: 'r1', url: 'https://x.org/one.csv' },
      { id: 'b', remote_id: null, url: 'https://x.org/two.csv?use_labels=false' },
      { id: 'c', remote_id: 'r3', url: 'https://x.org/gone.csv' },
    ];
    const { matches, unmatched } = matchResources(stored, [
      { remote_id: 'r1', url: 'https://x.org/moved.csv' },
      { remote_id: null, url: 'https://x.org/two.csv?use_labels=true' },
      { remote_id: null, url: 'https://x.org/two.csv' },
      { remote_id: 'r9', url: 'https://x.org/new.csv' },
    ]);
    expect(matches.map((match) => match.existing?.id ?? null)).toEqual(['a', 'b', null, null]);
    expect(unmatched.map((resource) => resource.id)).toEqual(['c']);
  });
});
