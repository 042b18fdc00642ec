import { createHash } from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api } from './client';
import { createDataset, eventually } from './fixtures';
import { localStore } from './local-store';

/**
 * Hosted files served straight from storage under `/files/`, as udata's static URLs: any size, no
 * redirect, HEAD and ranges; hidden while their dataset is private or deleted; each download counted
 * from the access log the distribution (here, the local server in its place) writes.
 */

const MiB = 1024 * 1024;
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

let publisher: TestUser;

beforeAll(async () => {
  publisher = await newUser();
});

/** One request of udata's chunked upload protocol. */
async function postChunk(
  path: string,
  fields: Record<string, string | number>,
  chunk: Uint8Array | null,
): Promise<{ status: number; text: string; json: Record<string, unknown> & { id: string; url: string } }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  if (chunk) form.append('file', new Blob([chunk]), 'blob');
  const response = await fetch(api.url(path), { method: 'POST', body: form, headers: publisher.headers });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

/**
 * A file uploaded to the dataset as udata's clients send it: whole in one form up to 1 MiB, else
 * through udata's chunked protocol (1 MiB chunks).
 */
async function uploadFile(datasetId: string, filename: string, bytes: Uint8Array) {
  const path = `/api/1/datasets/${datasetId}/upload/`;
  if (bytes.length <= MiB) {
    const form = new FormData();
    form.append('file', new Blob([bytes]), filename);
    const response = await fetch(api.url(path), { method: 'POST', body: form, headers: publisher.headers });
    const text = await response.text();
    expect(response.status, text).toBe(201);
    return JSON.parse(text) as Record<string, unknown> & { id: string; url: string };
  }
  const uuid = crypto.randomUUID();
  const totalparts = Math.ceil(bytes.length / MiB);
  for (let index = 0; index < totalparts; index++) {
    const chunk = bytes.subarray(index * MiB, Math.min(bytes.length, (index + 1) * MiB));
    const sent = await postChunk(
      path,
      {
        uuid,
        filename,
        partindex: index,
        partbyteoffset: index * MiB,
        totalparts,
        chunksize: chunk.length,
        totalfilesize: bytes.length,
      },
      chunk,
    );
    expect(sent.status, sent.text).toBe(200);
  }
  const done = await postChunk(path, { uuid, filename, totalparts, totalfilesize: bytes.length }, null);
  expect(done.status, done.text).toBe(201);
  return done.json;
}

/** Bytes that are not all alike, so a range or a checksum proves which bytes were sent. */
function fileOf(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + (index >> 8)) % 251;
  return bytes;
}

const statusOf = async (url: string) => (await fetch(url, { method: 'HEAD', redirect: 'manual' })).status;

describe('hosted files served from storage', () => {
  it('serves a file above 4 MiB whole to a client that follows no redirect, with HEAD and ranges, and counts the download once', async () => {
    const dataset = await createDataset(publisher);
    const bytes = fileOf(5 * MiB + 123);
    const resource = await uploadFile(dataset.id, 'relevés 2026.bin', bytes);
    // udata's static URL: on the site, ending in the file's name.
    expect(resource.url).toMatch(
      new RegExp(`^${api.url('/files/')}${dataset.id}/${resource.id}/[^/]+/[^/]+/releves-2026\\.bin$`),
    );
    expect(resource.latest).toBe(api.url(`/api/1/datasets/r/${resource.id}`));

    const head = await fetch(resource.url, { method: 'HEAD', redirect: 'manual' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.headers.get('content-disposition')).toBe('attachment; filename="releves-2026.bin"');
    expect(head.headers.get('accept-ranges')).toBe('bytes');

    // httpx's default: no redirect followed. The bytes come in the answer itself.
    const got = await fetch(resource.url, { redirect: 'manual' });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-length')).toBe(String(bytes.length));
    expect(got.headers.get('content-type')).toBeTruthy();
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha1(new Uint8Array(await got.arrayBuffer()))).toBe(sha1(bytes));

    const ranged = await fetch(resource.url, { headers: { range: `bytes=${4 * MiB}-${4 * MiB + 9}` } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes ${4 * MiB}-${4 * MiB + 9}/${bytes.length}`);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(bytes.subarray(4 * MiB, 4 * MiB + 10));

    // Counted from the access log, once for this client's visit (the whole file and its range).
    const views = async () =>
      (await api.get(`/api/1/datasets/${dataset.id}/resources/${resource.id}/`)).json.metrics.views as number;
    await eventually(views, (count) => count === 1, 'the download counted from the access log');
    const metrics = await eventually(
      async () => (await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics,
      (read) => read.resources_downloads === 1,
      'the dataset’s downloads',
    );
    expect(metrics.resources_downloads).toBe(1);
    // A HEAD is no download.
    expect(await statusOf(resource.url)).toBe(200);
    expect(await views()).toBe(1);
  }, 60_000);

  it('hides a private dataset’s files from everyone and serves them again once it is public', async () => {
    const dataset = await createDataset(publisher);
    const bytes = fileOf(1000);
    const resource = await uploadFile(dataset.id, 'public.csv', bytes);
    expect(await statusOf(resource.url)).toBe(200);

    const made = await api.put(`/api/1/datasets/${dataset.id}/`, { private: true }, publisher.headers);
    expect(made.status, made.text).toBe(200);
    await eventually(
      () => statusOf(resource.url),
      (status) => status === 404,
      'the private dataset’s file hidden',
    );
    const hidden = await fetch(resource.url);
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get('content-type')).toBe('application/problem+json');
    // Its producer still reaches it through `latest` (a short-lived link).
    const latest = await fetch(resource.latest as string, { redirect: 'manual', headers: publisher.headers });
    expect(latest.status).toBe(302);

    const back = await api.put(`/api/1/datasets/${dataset.id}/`, { private: false }, publisher.headers);
    expect(back.status, back.text).toBe(200);
    await eventually(
      () => statusOf(resource.url),
      (status) => status === 200,
      'the file served again',
    );
    expect(new Uint8Array(await (await fetch(resource.url)).arrayBuffer())).toEqual(bytes);
  }, 60_000);

  it('hides a deleted dataset’s files, and a removed resource’s', async () => {
    const dataset = await createDataset(publisher);
    const kept = await uploadFile(dataset.id, 'kept.csv', fileOf(100));
    const removed = await uploadFile(dataset.id, 'removed.csv', fileOf(200));
    const removal = await api.delete(
      `/api/1/datasets/${dataset.id}/resources/${removed.id}/`,
      publisher.headers,
    );
    expect(removal.status).toBe(204);
    await eventually(
      () => statusOf(removed.url),
      (status) => status !== 200,
      'the removed resource’s file gone',
    );
    expect(await statusOf(kept.url)).toBe(200);

    expect((await api.delete(`/api/1/datasets/${dataset.id}/`, publisher.headers)).status).toBe(204);
    await eventually(
      () => statusOf(kept.url),
      (status) => status === 404,
      'the deleted dataset’s file hidden',
    );
    expect((await fetch(kept.url)).status).toBe(404);
  }, 60_000);

  it('has its hidden ids brought back in line by npm run backfill’s step, for a store that missed them', async () => {
    await localStore();
    // The local copy of the distribution's key value store, in the platform's data directory.
    const file = path.join(path.dirname(path.dirname(inject('eventsFile'))), 'hidden-files.json');
    process.env.HIDDEN_FILES_FILE = file;
    const { fileHiddenFiles } = await import('../functions/hosted-files/hidden-files');
    const { syncDatasetFiles } = await import('../functions/hosted-files/keep-hidden-entry');
    const dataset = await createDataset(publisher);
    const resource = await uploadFile(dataset.id, 'backfill.csv', fileOf(50));
    expect(
      (await api.put(`/api/1/datasets/${dataset.id}/`, { private: true }, publisher.headers)).status,
    ).toBe(200);
    await eventually(
      () => statusOf(resource.url),
      (status) => status === 404,
      'the private dataset’s file hidden',
    );
    // A store from before the consumer: it does not know the dataset, whose file is served.
    await fileHiddenFiles(file).set({ hide: [], show: [dataset.id] });
    expect(await statusOf(resource.url)).toBe(200);
    expect(await syncDatasetFiles(dataset.id)).toBe(true);
    expect(await statusOf(resource.url)).toBe(404);
  });

  it('keeps the API’s former file URLs answering, and serves nothing but accepted files', async () => {
    const dataset = await createDataset(publisher);
    const bytes = fileOf(300);
    const resource = await uploadFile(dataset.id, 'ancien.csv', bytes);
    const former = await fetch(api.url(`/api/1/datasets/r/${resource.id}/ancien.csv`), {
      redirect: 'manual',
    });
    expect(former.status).toBe(200);
    expect(new Uint8Array(await former.arrayBuffer())).toEqual(bytes);

    const { pathname } = new URL(resource.url);
    for (const path of [
      '/files/',
      `/files/${dataset.id}/${resource.id}/ancien.csv`,
      `${pathname}/more`,
      pathname.replace(/\/[^/]+\/[^/]+$/, '//ancien.csv'),
    ]) {
      expect((await fetch(api.url(path), { redirect: 'manual' })).status, path).toBe(404);
    }
    // A file that is not there (replaced, refused): S3 through Origin Access Control answers 403.
    expect((await fetch(api.url(pathname.replace(/[^/]+$/, 'other.csv')))).status).toBe(403);
    // The query string never reaches storage (no signed or versioned read through the site).
    const queried = await fetch(`${resource.url}?versionId=x&X-Amz-Signature=y`);
    expect(queried.status).toBe(200);
    // Read-only.
    expect((await fetch(resource.url, { method: 'PUT', body: 'x' })).status).toBe(403);
    expect((await fetch(resource.url, { method: 'DELETE' })).status).toBe(403);
    expect(await statusOf(resource.url)).toBe(200);
  });
});
