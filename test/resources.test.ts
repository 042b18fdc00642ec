import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle, waitForEvent } from './client';
import { createDataset } from './fixtures';
import { localS3 } from './local-store';

let publisher: TestUser;
let stranger: TestUser;
const s3 = localS3();

beforeAll(async () => {
  [publisher, stranger] = await Promise.all([newUser(), newUser()]);
});
afterAll(() => s3.destroy());

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (value: string) => new TextEncoder().encode(value);

function csv(rows: number): Uint8Array {
  const lines = ['commune,population'];
  for (let index = 0; index < rows; index++) lines.push(`Commune ${index},${index * 7}`);
  return text(`${lines.join('\n')}\n`);
}

async function addLink(datasetId: string, fields: Record<string, unknown> = {}) {
  const response = await api.post(
    `/api/1/datasets/${datasetId}/resources/`,
    { title: 'Documentation', url: 'https://example.org/doc.pdf', type: 'documentation', ...fields },
    publisher.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json;
}

async function declare(
  path: string,
  file: { filename: string; size: number; mime: string },
  headers = publisher.headers,
) {
  return api.post(path, file, headers);
}

/** What a browser does with a presigned POST: the fields, then the file, as multipart/form-data. */
async function sendForm(
  upload: { url: string; fields: Record<string, string> },
  bytes: Uint8Array,
  filename: string,
  override: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...upload.fields, ...override })) form.append(name, value);
  form.append('file', new Blob([bytes]), filename);
  const response = await fetch(upload.url, { method: 'POST', body: form });
  expect(response.status, await response.text()).toBeLessThan(300);
}

/** Uploads a new hosted file through the API's presigned POST and waits for finalize. */
async function uploadFile(datasetId: string, bytes: Uint8Array, filename: string, mime: string) {
  const answer = await declare(`/api/1/datasets/${datasetId}/upload/`, {
    filename,
    size: bytes.length,
    mime,
  });
  expect(answer.status, answer.text).toBe(201);
  expect(answer.json.upload.kind).toBe('post');
  await sendForm(answer.json.upload, bytes, filename);
  return waitForUpload(datasetId, answer.json.resource.id, answer.json.upload.id);
}

/** The resource once finalize has decided on the given upload. */
async function waitForUpload(datasetId: string, rid: string, uploadId: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api.getWith(`/api/1/datasets/${datasetId}/resources/${rid}/`, publisher.headers);
    if (
      response.status === 200 &&
      response.json.upload?.id === uploadId &&
      response.json.upload.status !== 'pending'
    )
      return response.json;
    if (Date.now() > deadline)
      throw new Error(`upload ${uploadId} not finalized: ${response.status} ${response.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Objects of a resource: uploads sent (`datasets/…`) and accepted copies served (`files/…`). */
async function objectsOf(datasetId: string, rid: string): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of ['datasets/', 'files/']) {
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: inject('bucketName'), Prefix: `${prefix}${datasetId}/${rid}/` }),
    );
    keys.push(...(listed.Contents ?? []).map((object) => object.Key!));
  }
  return keys;
}

async function resourcesOf(datasetId: string, headers: Record<string, string> = {}) {
  const response = await api.getWith(`/api/1/datasets/${datasetId}/`, headers);
  expect(response.status, response.text).toBe(200);
  return response.json.resources as { id: string; title: string }[];
}

/** The API path of an absolute link the API gave. */
const path = (link: string) => link.replace(api.url(''), '');

async function download(rid: string, headers: Record<string, string> = {}) {
  return fetch(api.url(`/api/1/datasets/r/${rid}`), { redirect: 'manual', headers });
}

describe('remote resources', () => {
  it('adds links first (udata prepends), presents them with the dataset and announces them', async () => {
    const dataset = await createDataset(publisher);
    const first = await addLink(dataset.id, { title: 'First', format: ' CSV ' });
    expect(first).toMatchObject({
      title: 'First',
      filetype: 'remote',
      type: 'documentation',
      format: 'csv',
      url: 'https://example.org/doc.pdf',
      latest: api.url(`/api/1/datasets/r/${first.id}`),
      status: 'available',
      metrics: { views: 0 },
    });
    const second = await addLink(dataset.id, { title: 'Second' });
    expect((await resourcesOf(dataset.id)).map((resource) => resource.title)).toEqual(['Second', 'First']);
    const event = await waitForEvent(
      (candidate) =>
        candidate['detail-type'] === 'dataset.resource.added' && candidate.detail.data.resource === second.id,
    );
    expect(event.detail.subject.id).toBe(dataset.id);
  });

  it('updates the fields sent, refuses a filetype change and keeps the rest', async () => {
    const dataset = await createDataset(publisher);
    const link = await addLink(dataset.id);
    const updated = await api.put(
      `/api/1/datasets/${dataset.id}/resources/${link.id}/`,
      { title: 'Renamed', format: 'PDF', schema: { name: 'etalab/schema-irve-statique', version: '2.3.0' } },
      publisher.headers,
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({
      title: 'Renamed',
      format: 'pdf',
      type: 'documentation',
      schema: { name: 'etalab/schema-irve-statique', version: '2.3.0', url: null },
    });
    const refused = await api.put(
      `/api/1/datasets/${dataset.id}/resources/${link.id}/`,
      { title: 'Not applied', filetype: 'file' },
      publisher.headers,
    );
    expect(refused.status).toBe(400);
    expect(refused.json.errors.filetype[0]).toMatch(/cannot change/);
    const after = await api.get(`/api/1/datasets/${dataset.id}/resources/${link.id}/`);
    expect(after.json.title).toBe('Renamed');
  });

  it('reorders with the full list of ids and names what is missing or unknown', async () => {
    const dataset = await createDataset(publisher);
    const a = await addLink(dataset.id, { title: 'A' });
    const b = await addLink(dataset.id, { title: 'B' });
    const c = await addLink(dataset.id, { title: 'C' });
    const resourcesPath = `/api/1/datasets/${dataset.id}/resources/`;
    const reordered = await api.put(resourcesPath, [a.id, { id: b.id }, c.id], publisher.headers);
    expect(reordered.status, reordered.text).toBe(200);
    expect(reordered.json.map((resource: { title: string }) => resource.title)).toEqual(['A', 'B', 'C']);
    expect((await resourcesOf(dataset.id)).map((resource) => resource.title)).toEqual(['A', 'B', 'C']);

    const missing = await api.put(resourcesPath, [a.id, 'no-such-id'], publisher.headers);
    expect(missing.status).toBe(400);
    expect(missing.json.message).toContain(`missing ids: ${b.id}, ${c.id}`);
    expect(missing.json.message).toContain('unknown ids: no-such-id');
    const notAList = await api.put(resourcesPath, { order: [a.id] }, publisher.headers);
    expect(notAList.status).toBe(400);
    expect((await resourcesOf(dataset.id)).map((resource) => resource.title)).toEqual(['A', 'B', 'C']);
  });

  it('redirects and counts downloads of a link through its stable URL', async () => {
    const dataset = await createDataset(publisher);
    const link = await addLink(dataset.id);
    const response = await download(link.id);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://example.org/doc.pdf');
    await download(link.id, { 'user-agent': 'another client' });
    await drained();
    const after = await api.get(`/api/1/datasets/${dataset.id}/resources/${link.id}/`);
    expect(after.json.metrics.views).toBe(2);
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics.resources_downloads).toBe(2);
  });

  it('deletes a resource', async () => {
    const dataset = await createDataset(publisher);
    const link = await addLink(dataset.id);
    const deleted = await api.delete(
      `/api/1/datasets/${dataset.id}/resources/${link.id}/`,
      publisher.headers,
    );
    expect(deleted.status).toBe(204);
    expect(await resourcesOf(dataset.id)).toEqual([]);
    expect((await api.get(`/api/1/datasets/${dataset.id}/resources/${link.id}/`)).status).toBe(404);
    expect((await download(link.id)).status).toBe(404);
  });
});

describe('hosted files through a presigned POST', () => {
  it('appears once finalized, with its size, checksums, format and mime, and downloads (counted)', async () => {
    const dataset = await createDataset(publisher);
    const bytes = csv(200);
    const answer = await declare(`/api/1/datasets/${dataset.id}/upload/`, {
      filename: 'populations communales.csv',
      size: bytes.length,
      mime: 'text/csv',
    });
    expect(answer.status, answer.text).toBe(201);
    const { resource, upload } = answer.json;
    expect(resource).toMatchObject({
      filetype: 'file',
      status: 'pending',
      title: 'populations communales.csv',
    });
    expect(upload.fields.key).toMatch(
      new RegExp(`^datasets/${dataset.id}/${resource.id}/${upload.id}/populations-communales\\.csv$`),
    );
    // Pending files are not shown with the dataset, nor to others.
    expect(await resourcesOf(dataset.id)).toEqual([]);
    expect((await api.get(`/api/1/datasets/${dataset.id}/resources/${resource.id}/`)).status).toBe(404);

    await sendForm(upload, bytes, 'populations communales.csv');
    const finalized = await waitForUpload(dataset.id, resource.id, upload.id);
    expect(finalized).toMatchObject({
      status: 'available',
      filesize: bytes.length,
      checksum: { type: 'sha1', value: sha1(bytes) },
      sha256: sha256(bytes),
      format: 'csv',
      mime: 'text/csv',
      // Served straight from storage, as udata's static URLs: the accepted copy's key, on the site.
      url: expect.stringMatching(
        new RegExp(
          `^${api.url('/files/')}${dataset.id}/${resource.id}/${upload.id}/[^/]+/populations-communales\\.csv$`,
        ),
      ),
      latest: api.url(`/api/1/datasets/r/${resource.id}`),
      upload: { status: 'available', reason: null },
    });
    expect((await resourcesOf(dataset.id)).map((listed) => listed.id)).toEqual([resource.id]);

    const redirect = await download(resource.id);
    expect(redirect.status).toBe(302);
    const file = await fetch(redirect.headers.get('location')!);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    expect(file.headers.get('content-disposition')).toContain('populations communales.csv');
    await drained();
    const counted = await api.get(`/api/1/datasets/${dataset.id}/resources/${resource.id}/`);
    expect(counted.json.metrics.views).toBe(1);
  });

  it("keeps the dataset's formats and last update: the listing's format filter finds it", async () => {
    const dataset = await createDataset(publisher);
    const before = (await api.get(`/api/1/datasets/${dataset.id}/`)).json.last_update;
    await uploadFile(dataset.id, text('{"a": 1}'), 'sample.JSON', 'application/json');
    const after = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(Date.parse(after.last_update)).toBeGreaterThan(Date.parse(before));
    const listed = await api.get('/api/1/datasets/?format=json&page_size=100');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.data.map((found: { id: string }) => found.id)).toContain(dataset.id);
  });

  it("keeps udata's archive-aware format", async () => {
    const dataset = await createDataset(publisher);
    const bytes = gzipSync(csv(50));
    const finalized = await uploadFile(dataset.id, bytes, 'data.csv.gz', 'application/gzip');
    expect(finalized).toMatchObject({ status: 'available', format: 'csv.gz', mime: 'application/gzip' });
  });

  it('counts a client once per download window, however often it asks, and each client once', async () => {
    const dataset = await createDataset(publisher);
    const finalized = await uploadFile(dataset.id, csv(5), 'small.csv', 'text/csv');
    const views = async () =>
      (await api.get(`/api/1/datasets/${dataset.id}/resources/${finalized.id}/`)).json.metrics.views;
    // Ten requests of one client, in parallel: a page embedding the link as an <img> ten times.
    const answers = await Promise.all(Array.from({ length: 10 }, () => download(finalized.id)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(302));
    // Nothing is written on the request path: the count moves once the downloads consumer has run.
    await drained();
    expect(await views()).toBe(1);
    const browser = { 'user-agent': 'Mozilla/5.0 (another browser)' };
    await Promise.all([download(finalized.id, browser), download(finalized.id, browser)]);
    await drained();
    expect(await views()).toBe(2);
    for (let index = 0; index < 5; index++) await download(finalized.id);
    await drained();
    expect(await views()).toBe(2);
  });

  it('replaces a file: same stable URL, new checksum, the old object deleted once the new one is in', async () => {
    const dataset = await createDataset(publisher);
    const first = csv(10);
    const original = await uploadFile(dataset.id, first, 'budget.csv', 'text/csv');
    const second = csv(20);
    const answer = await declare(`/api/1/datasets/${dataset.id}/resources/${original.id}/upload/`, {
      filename: 'budget-2025.csv',
      size: second.length,
      mime: 'text/csv',
    });
    expect(answer.status, answer.text).toBe(201);
    // While the new version is pending, the current file is still served.
    expect(answer.json.resource).toMatchObject({ status: 'available', upload: { status: 'pending' } });
    const served = await fetch((await download(original.id)).headers.get('location')!);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(first);

    await sendForm(answer.json.upload, second, 'budget-2025.csv');
    const replaced = await waitForUpload(dataset.id, original.id, answer.json.upload.id);
    expect(replaced).toMatchObject({
      id: original.id,
      latest: original.latest,
      // The stable URL is `latest`; `url` ends in the new file's name.
      url: expect.stringMatching(
        new RegExp(`/files/${dataset.id}/${original.id}/[^/]+/[^/]+/budget-2025\\.csv$`),
      ),
      filesize: second.length,
      checksum: { type: 'sha1', value: sha1(second) },
    });
    expect(replaced.checksum.value).not.toBe(original.checksum.value);
    const file = await fetch((await download(original.id)).headers.get('location')!);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(second);
    // Only the accepted copy of the new upload is left: neither the old file nor the uploaded object.
    const left = await objectsOf(dataset.id, original.id);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(new RegExp(`^files/${dataset.id}/${original.id}/${answer.json.upload.id}/`));
  });

  it('deletes the file with its resource', async () => {
    const dataset = await createDataset(publisher);
    const finalized = await uploadFile(dataset.id, csv(3), 'gone.csv', 'text/csv');
    expect(await objectsOf(dataset.id, finalized.id)).toHaveLength(1);
    const deleted = await api.delete(
      `/api/1/datasets/${dataset.id}/resources/${finalized.id}/`,
      publisher.headers,
    );
    expect(deleted.status).toBe(204);
    expect(await objectsOf(dataset.id, finalized.id)).toEqual([]);
  });
});

describe('uploads finalize refuses', () => {
  it('refuses an HTML page up front (415) and writes nothing', async () => {
    const dataset = await createDataset(publisher);
    const byType = await declare(`/api/1/datasets/${dataset.id}/upload/`, {
      filename: 'page.txt',
      size: 10,
      mime: 'text/html',
    });
    expect(byType.status).toBe(415);
    expect(byType.json.message).toMatch(/HTML/);
    const byName = await declare(`/api/1/datasets/${dataset.id}/upload/`, {
      filename: 'index.html',
      size: 10,
      mime: 'application/octet-stream',
    });
    expect(byName.status).toBe(415);
    expect(await resourcesOf(dataset.id)).toEqual([]);
  });

  it('refuses a bad declaration with 400 naming the fields, and more than S3 holds with 413', async () => {
    const dataset = await createDataset(publisher);
    const bad = await api.post(
      `/api/1/datasets/${dataset.id}/upload/`,
      { filename: '', size: -1, mime: 'csv' },
      publisher.headers,
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.errors).sort()).toEqual(['filename', 'mime', 'size']);
    const huge = await declare(`/api/1/datasets/${dataset.id}/upload/`, {
      filename: 'everything.csv',
      size: 6 * 1024 ** 4,
      mime: 'text/csv',
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(await resourcesOf(dataset.id)).toEqual([]);
  });

  it('refuses an HTML page sent as CSV: the object is deleted and the resource says why', async () => {
    const dataset = await createDataset(publisher);
    const page = text(
      '<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Session expired</body></html>',
    );
    const finalized = await uploadFile(dataset.id, page, 'export.csv', 'text/csv');
    expect(finalized).toMatchObject({ status: 'refused', upload: { status: 'refused' } });
    expect(finalized.upload.reason).toMatch(/HTML/);
    expect(finalized.filesize).toBeNull();
    expect(await resourcesOf(dataset.id)).toEqual([]);
    expect(await objectsOf(dataset.id, finalized.id)).toEqual([]);
    expect((await download(finalized.id)).status).toBe(404);
  });

  it('refuses content that contradicts its declared type', async () => {
    const dataset = await createDataset(publisher);
    const pdf = text('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
    const finalized = await uploadFile(dataset.id, pdf, 'table.csv', 'text/csv');
    expect(finalized.status).toBe('refused');
    expect(finalized.upload.reason).toMatch(/PDF/);
    expect(await objectsOf(dataset.id, finalized.id)).toEqual([]);
  });

  it('refuses a file over the size the form allowed (S3 would; finalize checks again)', async () => {
    const dataset = await createDataset(publisher);
    const limit = inject('maxUploadBytes');
    const answer = await declare(`/api/1/datasets/${dataset.id}/upload/`, {
      filename: 'big.csv',
      size: 100,
      mime: 'text/csv',
    });
    // The form allows exactly the declared size.
    expect(answer.json.upload.max_bytes).toBe(100);
    await sendForm(answer.json.upload, csv(Math.ceil(limit / 10)), 'big.csv');
    const finalized = await waitForUpload(dataset.id, answer.json.resource.id, answer.json.upload.id);
    expect(finalized.status).toBe('refused');
    expect(finalized.upload.reason).toMatch(/larger than/);
    expect(await objectsOf(dataset.id, finalized.id)).toEqual([]);
  });

  it('refuses a form whose content type was altered', async () => {
    const dataset = await createDataset(publisher);
    const bytes = csv(3);
    const answer = await declare(`/api/1/datasets/${dataset.id}/upload/`, {
      filename: 'data.csv',
      size: bytes.length,
      mime: 'text/csv',
    });
    await sendForm(answer.json.upload, bytes, 'data.csv', { 'Content-Type': 'application/javascript' });
    const finalized = await waitForUpload(dataset.id, answer.json.resource.id, answer.json.upload.id);
    expect(finalized.status).toBe('refused');
    expect(finalized.upload.reason).toMatch(/altered/);
  });

  it('deletes an object sent to a key no upload was given (a form with its key altered)', async () => {
    const dataset = await createDataset(publisher);
    const bytes = csv(3);
    const answer = await declare(`/api/1/datasets/${dataset.id}/upload/`, {
      filename: 'data.csv',
      size: bytes.length,
      mime: 'text/csv',
    });
    const forged = answer.json.upload.fields.key.replace(answer.json.upload.id, 'forged');
    await sendForm(answer.json.upload, bytes, 'data.csv', { key: forged });
    const deadline = Date.now() + 10_000;
    while ((await objectsOf(dataset.id, answer.json.resource.id)).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await objectsOf(dataset.id, answer.json.resource.id)).toEqual([]);
    const resource = await api.getWith(
      `/api/1/datasets/${dataset.id}/resources/${answer.json.resource.id}/`,
      publisher.headers,
    );
    expect(resource.json).toMatchObject({ status: 'pending', upload: { status: 'pending' } });
  });
});

describe('hosted files through a presigned multipart upload', () => {
  const MiB = 1024 * 1024;

  function bytesOf(size: number): Uint8Array {
    const bytes = new Uint8Array(size);
    const line = text('id,value\n');
    for (let index = 0; index < size; index++) bytes[index] = line[index % line.length]!;
    return bytes;
  }

  async function putPart(url: string, bytes: Uint8Array) {
    const response = await fetch(url, { method: 'PUT', body: bytes });
    expect(response.status, await response.text()).toBe(200);
    return response.headers.get('etag');
  }

  it('goes multipart above the size limit, resumes from the parts S3 holds, and completes', async () => {
    const dataset = await createDataset(publisher);
    const bytes = bytesOf(12 * MiB + 123);
    const answer = await declare(`/api/1/datasets/${dataset.id}/upload/`, {
      filename: 'large.csv',
      size: bytes.length,
      mime: 'text/csv',
    });
    expect(answer.status, answer.text).toBe(201);
    const { resource, upload } = answer.json;
    expect(upload).toMatchObject({
      kind: 'multipart',
      size: bytes.length,
      part_size: 8 * MiB,
      part_count: 2,
    });

    const first = await api.post(path(upload.links.parts), { part_numbers: [1] }, publisher.headers);
    expect(first.status, first.text).toBe(200);
    await putPart(first.json.parts[0].url, bytes.subarray(0, upload.part_size));

    // The connection drops; later the client asks what S3 already has and sends the rest.
    const status = await api.getWith(path(upload.links.status), publisher.headers);
    expect(status.json).toMatchObject({ status: 'pending', part_count: 2 });
    expect(status.json.parts.map((part: { part_number: number }) => part.part_number)).toEqual([1]);
    const early = await api.post(path(upload.links.complete), undefined, publisher.headers);
    expect(early.status).toBe(400);
    expect(early.json.message).toMatch(/Parts not sent yet: 2/);

    const rest = await api.post(path(upload.links.parts), { part_numbers: [2] }, publisher.headers);
    await putPart(rest.json.parts[0].url, bytes.subarray(upload.part_size));
    const beyond = await api.post(path(upload.links.parts), { part_numbers: [3] }, publisher.headers);
    expect(beyond.status).toBe(400);

    const completed = await api.post(path(upload.links.complete), undefined, publisher.headers);
    expect(completed.status, completed.text).toBe(202);
    const finalized = await waitForUpload(dataset.id, resource.id, upload.id, 30_000);
    expect(finalized).toMatchObject({
      status: 'available',
      filesize: bytes.length,
      checksum: { type: 'sha1', value: sha1(bytes) },
      sha256: sha256(bytes),
      format: 'csv',
    });
    const again = await api.post(path(upload.links.parts), { part_numbers: [1] }, publisher.headers);
    expect(again.status).toBe(409);
  });

  it('aborts: S3 drops the parts and the never-finished resource is gone', async () => {
    const dataset = await createDataset(publisher);
    const answer = await api.post(
      `/api/1/datasets/${dataset.id}/upload/multipart/`,
      { filename: 'abandoned.csv', size: 9 * MiB, mime: 'text/csv' },
      publisher.headers,
    );
    expect(answer.status, answer.text).toBe(201);
    const { resource, upload } = answer.json;
    const part = await api.post(path(upload.links.parts), { part_numbers: [1] }, publisher.headers);
    await putPart(part.json.parts[0].url, bytesOf(8 * MiB));

    const aborted = await api.delete(path(upload.links.abort), publisher.headers);
    expect(aborted.status, aborted.text).toBe(204);
    const gone = await api.getWith(
      `/api/1/datasets/${dataset.id}/resources/${resource.id}/`,
      publisher.headers,
    );
    expect(gone.status).toBe(404);
    expect((await api.getWith(path(upload.links.status), publisher.headers)).status).toBe(404);
    expect(await objectsOf(dataset.id, resource.id)).toEqual([]);
  });
});

describe('who may do what with resources', () => {
  it('answers 410 for resources of a deleted dataset', async () => {
    const dataset = await createDataset(publisher);
    const link = await addLink(dataset.id);
    expect((await api.delete(`/api/1/datasets/${dataset.id}/`, publisher.headers)).status).toBe(204);
    expect(
      (
        await api.post(
          `/api/1/datasets/${dataset.id}/resources/`,
          { title: 't', url: 'https://a.example/' },
          publisher.headers,
        )
      ).status,
    ).toBe(410);
    expect(
      (
        await declare(`/api/1/datasets/${dataset.id}/upload/`, {
          filename: 'a.csv',
          size: 3,
          mime: 'text/csv',
        })
      ).status,
    ).toBe(410);
    expect((await api.get(`/api/1/datasets/${dataset.id}/resources/${link.id}/`)).status).toBe(410);
    expect((await download(link.id)).status).toBe(410);
  });

  it('hides the resources of a private dataset from others', async () => {
    const dataset = await createDataset(publisher, { private: true });
    const link = await addLink(dataset.id);
    expect(
      (await api.getWith(`/api/1/datasets/${dataset.id}/resources/${link.id}/`, stranger.headers)).status,
    ).toBe(404);
    expect((await download(link.id, stranger.headers)).status).toBe(404);
    expect((await download(link.id, publisher.headers)).status).toBe(302);
  });

  it("refuses changes to someone else's resources and anonymous writes", async () => {
    const dataset = await createDataset(publisher);
    const link = await addLink(dataset.id);
    const resourcePath = `/api/1/datasets/${dataset.id}/resources/${link.id}/`;
    expect((await api.put(resourcePath, { title: 'Mine now' }, stranger.headers)).status).toBe(403);
    expect((await api.delete(resourcePath, stranger.headers)).status).toBe(403);
    expect(
      (
        await declare(
          `/api/1/datasets/${dataset.id}/upload/`,
          { filename: 'a.csv', size: 3, mime: 'text/csv' },
          stranger.headers,
        )
      ).status,
    ).toBe(403);
    expect((await api.put(resourcePath, { title: 'Anonymous' })).status).toBe(401);
    expect((await api.get(resourcePath)).json.title).toBe('Documentation');
  });

  it('answers 404 for an unknown resource', async () => {
    const dataset = await createDataset(publisher);
    expect((await api.get(`/api/1/datasets/${dataset.id}/resources/no-such-resource/`)).status).toBe(404);
    expect(
      (
        await api.put(
          `/api/1/datasets/${dataset.id}/resources/no-such-resource/`,
          { title: 'x' },
          publisher.headers,
        )
      ).status,
    ).toBe(404);
    expect((await download('no-such-resource')).status).toBe(404);
  });
});
