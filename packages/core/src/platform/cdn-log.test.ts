import { describe, expect, it } from 'vitest';
import {
  CLOUDFRONT_LOG_FIELDS,
  cloudFrontLogHeader,
  formatCloudFrontLogLine,
  hostedFileDownloadsIn,
  parseCloudFrontLog,
} from './cdn-log';

const FILE = '/files/ds1/res1/up1/run1/population-2026.csv';

/** Lines in the layout CloudFront delivers (33 tab-separated fields, `-` for empty, encoded agent). */
const LOG = [
  '#Version: 1.0',
  `#Fields: ${CLOUDFRONT_LOG_FIELDS.join(' ')}`,
  [
    '2026-12-05',
    '10:02:31',
    'CDG50-P1',
    '5243210',
    '192.0.2.100',
    'GET',
    'd111111abcdef8.cloudfront.net',
    FILE,
    '200',
    '-',
    'python-httpx/0.28.1',
    '-',
    '-',
    'Miss',
    'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==',
    'portail.example.org',
    'https',
    '230',
    '0.412',
    '-',
    'TLSv1.3',
    'TLS_AES_128_GCM_SHA256',
    'Miss',
    'HTTP/2.0',
    '-',
    '-',
    '53412',
    '0.021',
    'Miss',
    'text/csv',
    '5242880',
    '-',
    '-',
  ].join('\t'),
  [
    '2026-12-05',
    '10:02:32',
    'CDG50-P1',
    '1048900',
    '198.51.100.7',
    'GET',
    'd111111abcdef8.cloudfront.net',
    FILE,
    '206',
    'https://example.org/page',
    'Mozilla/5.0%20(X11;%20Linux%20x86_64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/131.0%20Safari/537.36',
    '-',
    '-',
    'Hit',
    'b2',
    'portail.example.org',
    'https',
    '310',
    '0.012',
    '-',
    'TLSv1.3',
    'TLS_AES_128_GCM_SHA256',
    'Hit',
    'HTTP/2.0',
    '-',
    '-',
    '41210',
    '0.003',
    'Hit',
    'text/csv',
    '1048576',
    '0',
    '1048575',
  ].join('\t'),
  // A HEAD, a 404 (hidden), a 304, a page and a POST: none is a download.
  ...[
    ['HEAD', FILE, '200'],
    ['GET', FILE, '404'],
    ['GET', FILE, '304'],
    ['GET', '/datasets/population/', '200'],
    ['GET', '/files/ds1/res1/population.csv', '200'],
  ].map(([method, path, status]) =>
    [
      '2026-12-05',
      '10:03:00',
      'CDG50-P1',
      '312',
      '192.0.2.1',
      method,
      'd111111abcdef8.cloudfront.net',
      path,
      status,
      '-',
      'curl/8.5.0',
      '-',
      '-',
      'Miss',
      'c3',
      'portail.example.org',
      'https',
      '90',
      '0.001',
      '-',
      'TLSv1.3',
      'TLS_AES_128_GCM_SHA256',
      'Miss',
      'HTTP/1.1',
      '-',
      '-',
      '50000',
      '0.001',
      'Miss',
      '-',
      '-',
      '-',
      '-',
    ].join('\t'),
  ),
  '',
].join('\n');

describe('CloudFront standard logs', () => {
  it('reads each request by the names of the #Fields line, decoding the user agent', () => {
    const entries = parseCloudFrontLog(LOG);
    expect(entries).toHaveLength(7);
    expect(entries[1]).toMatchObject({
      'c-ip': '198.51.100.7',
      'sc-status': '206',
      'cs(User-Agent)':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      'sc-range-start': '0',
    });
    expect(entries[0]!['cs(Referer)']).toBeUndefined();
  });

  it('counts the GETs of a hosted file that sent bytes (200 and 206), nothing else', () => {
    expect(hostedFileDownloadsIn(parseCloudFrontLog(LOG))).toEqual([
      {
        datasetId: 'ds1',
        resourceId: 'res1',
        at: new Date('2026-12-05T10:02:31Z'),
        clientIp: '192.0.2.100',
        userAgent: 'python-httpx/0.28.1',
      },
      {
        datasetId: 'ds1',
        resourceId: 'res1',
        at: new Date('2026-12-05T10:02:32Z'),
        clientIp: '198.51.100.7',
        userAgent:
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      },
    ]);
  });

  it('follows a #Fields line in another order, as CloudFront may add fields', () => {
    const text = `#Version: 1.0\n#Fields: cs-uri-stem c-ip sc-status cs-method date time\n${FILE}\t203.0.113.9\t200\tGET\t2026-12-05\t11:00:00\n`;
    expect(hostedFileDownloadsIn(parseCloudFrontLog(text))).toEqual([
      expect.objectContaining({ resourceId: 'res1', clientIp: '203.0.113.9' }),
    ]);
  });

  it('writes lines the parser reads back (the local server’s access log)', () => {
    const line = formatCloudFrontLogLine({
      date: '2026-12-05',
      time: '12:00:00',
      'c-ip': '127.0.0.1',
      'cs-method': 'GET',
      'cs-uri-stem': FILE,
      'sc-status': '206',
      'cs(User-Agent)': 'Mozilla/5.0 (X11; Linux)\tweird',
    });
    expect(line.split('\t')).toHaveLength(CLOUDFRONT_LOG_FIELDS.length);
    const [entry] = parseCloudFrontLog(`${cloudFrontLogHeader()}${line}\n`);
    expect(entry).toMatchObject({ 'sc-status': '206', 'cs(User-Agent)': 'Mozilla/5.0 (X11; Linux)\tweird' });
    expect(entry!['sc-bytes']).toBeUndefined();
  });

  it('skips lines whose date cannot be read', () => {
    const text = `${FILE}`.padStart(0);
    const broken = ['nope', '??', 'X', '1', '192.0.2.1', 'GET', 'h', text, '200'].join('\t');
    expect(hostedFileDownloadsIn(parseCloudFrontLog(broken))).toEqual([]);
  });
});
