import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';

/** udata's site CSV exports: every public dataset and resource, read a listing page at a time. */
let producer: TestUser;
let publicId: string;
let privateId: string;
const title = uniqueTitle('=HYPERLINK("x") "csv", with, commas');

/** RFC 4180 lines into cells (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += char;
  }
  return rows;
}

beforeAll(async () => {
  producer = await newUser();
  const created = await api.post(
    '/api/1/datasets/',
    { title, description: 'Line one\nline two', tags: ['csv-export'] },
    producer.headers,
  );
  publicId = created.json.id;
  await api.post(
    `/api/1/datasets/${publicId}/resources/`,
    { title: 'Data, quoted "x"', url: 'https://example.org/data.csv', filetype: 'remote', format: 'csv' },
    producer.headers,
  );
  const hidden = await api.post(
    '/api/1/datasets/',
    { title: uniqueTitle('Hidden csv'), description: 'x', private: true },
    producer.headers,
  );
  privateId = hidden.json.id;
});

describe('CSV exports', () => {
  it('list public datasets with udata’s columns, safe for spreadsheets, never private ones', async () => {
    const response = await api.get('/api/1/site/datasets.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toContain('datasets.csv');
    const rows = parseCsv(response.text);
    const header = rows[0]!;
    expect(header.slice(0, 3)).toEqual(['id', 'title', 'slug']);
    const line = rows.find((row) => row[0] === publicId)!;
    expect(line[header.indexOf('title')]).toBe(`'${title}`);
    expect(line[header.indexOf('description')]).toBe('Line one\nline two');
    expect(line[header.indexOf('resources_count')]).toBe('1');
    expect(line[header.indexOf('tags')]).toBe('csv-export');
    expect(rows.some((row) => row[0] === privateId)).toBe(false);
    expect(rows.every((row) => row.length === header.length)).toBe(true);
  });

  it('list each resource with its dataset', async () => {
    const response = await api.get('/api/1/site/resources.csv');
    expect(response.status).toBe(200);
    const rows = parseCsv(response.text);
    const header = rows[0]!;
    const line = rows.find((row) => row[0] === publicId)!;
    expect(line[header.indexOf('title')]).toBe('Data, quoted "x"');
    expect(line[header.indexOf('url')]).toBe('https://example.org/data.csv');
    expect(line[header.indexOf('format')]).toBe('csv');
  });

  it('refuse a cursor that is not theirs', async () => {
    const response = await api.get('/api/1/site/datasets.csv?cursor=not-a-cursor');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
