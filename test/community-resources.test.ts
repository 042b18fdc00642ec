import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle, waitForEvent } from './client';
import { createDataset, createOrganization } from './fixtures';
import { localS3 } from './local-store';

type Response = Awaited<ReturnType<typeof api.request>>;

/** A 4xx problem document, udata's `message` included. */
function expectProblem(response: Response, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json).toMatchObject({ status, type: expect.any(String), message: expect.any(String) });
  return response.json;
}

const BASE = '/api/1/datasets/community_resources/';
const path = (resource: { id: string }) => `${BASE}${resource.id}/`;

const link = (dataset: { id: string }, fields: Record<string, unknown> = {}) => ({
  dataset: dataset.id,
  title: uniqueTitle('Carte'),
  url: 'https://example.org/carte.geojson',
  format: 'GeoJSON',
  ...fields,
});

async function post(by: TestUser, body: Record<string, unknown>) {
  const response = await api.post(BASE, body, by.headers);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; title: string };
}

let producer: TestUser;
let contributor: TestUser;
let orgAdmin: TestUser;
let orgEditor: TestUser;
let outsider: TestUser;
let sysadmin: TestUser;
let org: { id: string; name: string; slug: string };
let dataset: { id: string; slug: string };

beforeAll(async () => {
  [producer, contributor, orgAdmin, orgEditor, outsider, sysadmin] = await Promise.all([
    newUser(),
    newUser(),
    newUser(),
    newUser(),
    newUser(),
    newUser({ sysadmin: true }),
  ]);
  org = await createOrganization(orgAdmin);
  const added = await api.post(
    `/api/1/organizations/${org.id}/member/`,
    { user: orgEditor.id, role: 'editor' },
    orgAdmin.headers,
  );
  expect(added.status, added.text).toBe(201);
  dataset = await createDataset(producer);
});

describe('posting a community resource', () => {
  it("answers 201 with udata's resource fields, its dataset and its owner, and announces it", async () => {
    const body = link(dataset, { description: 'Une carte.', type: 'documentation' });
    const response = await api.post(BASE, body, contributor.headers);
    expect(response.status, response.text).toBe(201);
    const resource = response.json;
    expect(resource).toMatchObject({
      id: expect.any(String),
      title: body.title,
      description: 'Une carte.',
      type: 'documentation',
      filetype: 'remote',
      url: 'https://example.org/carte.geojson',
      latest: 'https://example.org/carte.geojson',
      format: 'geojson',
      status: 'available',
      dataset: { class: 'Dataset', id: dataset.id, uri: api.url(`/api/1/datasets/${dataset.id}/`) },
      owner: { class: 'User', id: contributor.id, first_name: 'Camille' },
      organization: null,
    });
    expect(response.headers.get('location')).toBe(api.url(path(resource)));
    expect((await api.get(path(resource))).json).toEqual(resource);
    const event = await waitForEvent(
      (candidate) =>
        candidate['detail-type'] === 'dataset.community-resource.added' &&
        candidate.detail.data.community_resource === resource.id,
    );
    expect(event.detail.subject.id).toBe(dataset.id);
    // Apart from the producer's resources.
    const read = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(read.resources.map((item: { id: string }) => item.id)).not.toContain(resource.id);
    expect(read.community_resources).toEqual([resource]);
  });

  it('posts for an organization the caller belongs to, and accepts udata’s {id} references', async () => {
    const resource = await api.post(
      BASE,
      link(dataset, { dataset: { id: dataset.id }, organization: { id: org.id } }),
      orgEditor.headers,
    );
    expect(resource.status, resource.text).toBe(201);
    expect(resource.json).toMatchObject({
      owner: null,
      organization: { class: 'Organization', id: org.id, name: org.name },
    });
    const foreign = expectProblem(
      await api.post(BASE, link(dataset, { organization: org.id }), outsider.headers),
      400,
    );
    expect(foreign.errors.organization[0]).toMatch(/belong to/);
  });

  it('needs a confirmed account: 401 anonymous, 403 unconfirmed', async () => {
    expectProblem(await api.post(BASE, link(dataset)), 401);
    const unconfirmed = await newUser({ confirmed: false });
    expectProblem(await api.post(BASE, link(dataset), unconfirmed.headers), 403);
  });

  it('refuses missing fields, bad URLs, unknown datasets (400) and deleted datasets (410), writing nothing', async () => {
    const target = await createDataset(producer);
    const missing = expectProblem(await api.post(BASE, { dataset: target.id }, contributor.headers), 400);
    expect(Object.keys(missing.errors).sort()).toEqual(['title', 'url']);
    const blank = expectProblem(
      await api.post(BASE, link(target, { title: '  ' }), contributor.headers),
      400,
    );
    expect(blank.errors.title).toEqual(['This field is required.']);
    expectProblem(
      await api.post(BASE, link(target, { url: 'ftp://example.org/x' }), contributor.headers),
      400,
    );
    expectProblem(await api.post(BASE, link(target, { type: 'poster' }), contributor.headers), 400);
    const noDataset = expectProblem(
      await api.post(BASE, { title: 'x', url: 'https://example.org' }, contributor.headers),
      400,
    );
    expect(noDataset.errors.dataset).toBeDefined();
    const unknown = expectProblem(
      await api.post(BASE, link({ id: 'f'.repeat(24) }), contributor.headers),
      400,
    );
    expect(unknown.errors.dataset[0]).toMatch(/No dataset/);
    const draft = await createDataset(producer, { private: true });
    expectProblem(await api.post(BASE, link(draft), contributor.headers), 400);

    expect((await api.delete(`/api/1/datasets/${target.id}/`, producer.headers)).status).toBe(204);
    expectProblem(await api.post(BASE, link(target), contributor.headers), 410);
    expect((await api.put(`/api/1/datasets/${target.id}/`, { deleted: null }, producer.headers)).status).toBe(
      200,
    );
    await drained();
    const listed = await api.get(`${BASE}?dataset=${target.id}`);
    expect(listed.json).toMatchObject({ data: [], total: 0 });
  });
});

describe('listing community resources', () => {
  it('lists a dataset’s, an owner’s and an organization’s, newest first, with totals', async () => {
    const target = await createDataset(producer);
    const first = await post(contributor, link(target));
    const second = await post(orgAdmin, link(target, { organization: org.id }));
    const third = await post(contributor, link(target));
    const ids = (response: Response) => response.json.data.map((item: { id: string }) => item.id);

    await drained();
    const ofDataset = await api.get(`${BASE}?dataset=${target.slug}`);
    expect(ofDataset.status, ofDataset.text).toBe(200);
    expect(ids(ofDataset)).toEqual([third.id, second.id, first.id]);
    expect(ofDataset.json.total).toBe(3);
    const paged = await api.get(`${BASE}?dataset=${target.id}&page_size=2`);
    expect(ids(paged)).toEqual([third.id, second.id]);
    expect(ids(await fetchJson(paged.json.next_page))).toEqual([first.id]);
    expect(ids(await api.get(`${BASE}?dataset=${target.id}&owner=${contributor.id}`))).toEqual([
      third.id,
      first.id,
    ]);
    expect(ids(await api.get(`${BASE}?dataset=${target.id}&organization=${org.id}`))).toEqual([second.id]);

    const ofOwner = await api.get(`${BASE}?owner=${contributor.id}&page_size=100`);
    expect(ids(ofOwner).slice(0, 2)).toEqual([third.id, first.id]);
    expect(ofOwner.json.total).toBe(ids(ofOwner).length);
    const ofOrganization = await api.get(`${BASE}?organization=${org.id}&page_size=100`);
    expect(ids(ofOrganization)).toContain(second.id);
    expect(ids(ofOrganization)).not.toContain(first.id);
    expect((await api.get(`${BASE}?owner=${contributor.id}&organization=${org.id}`)).json.total).toBe(0);

    // The global listing is shared with the files running beside this one: ours, newest first among others.
    const ours = [first.id, second.id, third.id];
    const all = await api.get(`${BASE}?page_size=100`);
    expect(ids(all).filter((id: string) => ours.includes(id))).toEqual([third.id, second.id, first.id]);
    expect(all.json.total).toBeGreaterThanOrEqual(3);
    const firstPage = await api.get(`${BASE}?page_size=2`);
    expect(firstPage.json.next_page).toEqual(expect.stringContaining('cursor='));

    expectProblem(await api.get(`${BASE}?dataset=no-such-dataset`), 404);
    expectProblem(await api.get(`${BASE}?page_size=1000`), 400);
  });
});

async function fetchJson(url: string) {
  const response = await fetch(url);
  return { status: response.status, json: await response.json() } as Response;
}

describe('editing and deleting a community resource', () => {
  it('lets its author, members of its organization and sysadmins change it; not the producer, others or anonymous', async () => {
    const mine = await post(contributor, link(dataset));
    const theirs = await post(orgAdmin, link(dataset, { organization: org.id }));

    for (const user of [producer, outsider, orgAdmin]) {
      expectProblem(await api.put(path(mine), { title: 'Hijacked' }, user.headers), 403);
      expectProblem(await api.delete(path(mine), user.headers), 403);
    }
    expectProblem(await api.put(path(mine), { title: 'Anonymous' }), 401);
    expectProblem(await api.delete(path(mine)), 401);
    for (const user of [producer, contributor, outsider]) {
      expectProblem(await api.put(path(theirs), { title: 'Hijacked' }, user.headers), 403);
    }

    const edited = await api.put(
      path(mine),
      { title: 'Carte corrigée', format: 'JSON' },
      contributor.headers,
    );
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json).toMatchObject({ id: mine.id, title: 'Carte corrigée', format: 'json' });
    expect((await api.put(path(theirs), { description: 'By the editor.' }, orgEditor.headers)).status).toBe(
      200,
    );
    expect((await api.put(path(theirs), { description: 'By the sysadmin.' }, sysadmin.headers)).status).toBe(
      200,
    );
    expect((await api.get(path(theirs))).json.description).toBe('By the sysadmin.');
    expectProblem(await api.put(path(mine), { filetype: 'file' }, contributor.headers), 400);
    expectProblem(await api.put(path(mine), { title: '' }, contributor.headers), 400);
    await waitForEvent(
      (candidate) =>
        candidate['detail-type'] === 'dataset.community-resource.updated' &&
        candidate.detail.data.community_resource === mine.id,
    );

    await drained();
    const totalBefore = (await api.get(`${BASE}?owner=${contributor.id}`)).json.total;
    expect((await api.delete(path(mine), contributor.headers)).status).toBe(204);
    expectProblem(await api.get(path(mine)), 404);
    const datasetIds = (await api.get(`/api/1/datasets/${dataset.id}/`)).json.community_resources.map(
      (item: { id: string }) => item.id,
    );
    expect(datasetIds).toContain(theirs.id);
    expect(datasetIds).not.toContain(mine.id);
    expectProblem(await api.delete(path(mine), contributor.headers), 404);
    await drained();
    expect((await api.get(`${BASE}?owner=${contributor.id}`)).json.total).toBe(totalBefore - 1);
    expect((await api.delete(path(theirs), orgEditor.headers)).status).toBe(204);
  });

  it('answers 410 once its dataset is deleted, and 404 for unknown ids', async () => {
    const target = await createDataset(producer);
    const resource = await post(contributor, link(target));
    expect((await api.delete(`/api/1/datasets/${target.id}/`, producer.headers)).status).toBe(204);
    expectProblem(await api.get(path(resource)), 410);
    expectProblem(await api.put(path(resource), { title: 'Still here?' }, contributor.headers), 410);
    expectProblem(await api.delete(path(resource), contributor.headers), 410);
    expectProblem(await api.get(`${BASE}?dataset=${target.id}`), 410);
    expectProblem(await api.get(path({ id: 'no-such-resource' })), 404);
  });

  it('hides the community resources of a private dataset from those who may not see it', async () => {
    const draft = await createDataset(producer, { private: true });
    const resource = await post(producer, link(draft));
    expect((await api.getWith(path(resource), producer.headers)).status).toBe(200);
    expectProblem(await api.getWith(path(resource), outsider.headers), 404);
    expectProblem(await api.get(`${BASE}?dataset=${draft.id}`), 404);
    const ownerList = `${BASE}?owner=${producer.id}&page_size=100`;
    const seen = async (as: TestUser | null) =>
      (
        (as ? await api.getWith(ownerList, as.headers) : await api.get(ownerList)).json.data as {
          id: string;
        }[]
      ).map((item) => item.id);
    expect(await seen(producer)).toContain(resource.id);
    expect(await seen(sysadmin)).toContain(resource.id);
    expect(await seen(outsider)).not.toContain(resource.id);
    expect(await seen(null)).not.toContain(resource.id);
  });
});

describe('uploading a file as a community resource', () => {
  const s3 = localS3();
  afterAll(() => s3.destroy());
  const bytes = new TextEncoder().encode('commune,population\nAix,143000\nArles,51000\n');
  const uploadPath = (target: { id: string }) => `/api/1/datasets/${target.id}/upload/community/`;

  /** What a browser does with a presigned POST: the fields, then the file. */
  async function sendForm(
    upload: { url: string; fields: Record<string, string> },
    body: Uint8Array,
    name: string,
  ) {
    const form = new FormData();
    for (const [field, value] of Object.entries(upload.fields)) form.append(field, value);
    form.append('file', new Blob([body]), name);
    const response = await fetch(upload.url, { method: 'POST', body: form });
    expect(response.status, await response.text()).toBeLessThan(300);
  }

  async function finalized(resource: { id: string }, as: TestUser) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await api.getWith(path(resource), as.headers);
      if (response.status === 200 && response.json.status !== 'pending') return response.json;
      if (Date.now() > deadline) throw new Error(`not finalized: ${response.status} ${response.text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Objects of a resource: uploads sent (`datasets/…`) and accepted copies served (`files/…`). */
  async function objectsOf(target: { id: string }, resource: { id: string }) {
    const keys: string[] = [];
    for (const prefix of ['datasets/', 'files/']) {
      const listed = await s3.send(
        new ListObjectsV2Command({
          Bucket: inject('bucketName'),
          Prefix: `${prefix}${target.id}/${resource.id}/`,
        }),
      );
      keys.push(...(listed.Contents ?? []).map((object) => object.Key!));
    }
    return keys;
  }

  it('goes through the presigned POST and finalize, then shows with its size and checksum, downloads and deletes with its file', async () => {
    const target = await createDataset(producer);
    const answer = await api.post(
      uploadPath(target),
      { filename: 'communes.csv', size: bytes.length, mime: 'text/csv', title: 'Communes' },
      contributor.headers,
    );
    expect(answer.status, answer.text).toBe(201);
    const { resource, upload } = answer.json;
    expect(resource).toMatchObject({
      title: 'Communes',
      filetype: 'file',
      status: 'pending',
      owner: { id: contributor.id },
      dataset: { id: target.id },
    });
    expect(upload).toMatchObject({ kind: 'post', method: 'POST', max_bytes: bytes.length });
    expect(upload.fields.key).toMatch(
      new RegExp(`^datasets/${target.id}/${resource.id}/${upload.id}/communes\\.csv$`),
    );
    // Invisible until its file is accepted.
    expect((await api.get(`/api/1/datasets/${target.id}/`)).json.community_resources).toEqual([]);
    await drained();
    expect((await api.get(`${BASE}?dataset=${target.id}`)).json.total).toBe(0);

    await sendForm(upload, bytes, 'communes.csv');
    const done = await finalized(resource, contributor);
    expect(done).toMatchObject({
      status: 'available',
      filesize: bytes.length,
      format: 'csv',
      checksum: { type: 'sha1', value: createHash('sha1').update(bytes).digest('hex') },
      sha256: createHash('sha256').update(bytes).digest('hex'),
      latest: api.url(`/api/1/datasets/r/${resource.id}`),
    });
    const shown = (await api.get(`/api/1/datasets/${target.id}/`)).json;
    expect(shown.community_resources.map((item: { id: string }) => item.id)).toEqual([resource.id]);
    expect(shown.resources).toEqual([]);
    expect((await api.get(`${BASE}?owner=${contributor.id}`)).json.data[0].id).toBe(resource.id);
    await waitForEvent(
      (candidate) =>
        candidate['detail-type'] === 'dataset.community-resource.added' &&
        candidate.detail.data.community_resource === resource.id,
    );

    const redirect = await fetch(api.url(`/api/1/datasets/r/${resource.id}`), { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const file = await fetch(redirect.headers.get('location')!);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    await drained();
    expect((await api.get(path(resource))).json.metrics.views).toBe(1);

    // Served from the accepted copy; the uploaded object is gone.
    const served = await objectsOf(target, resource);
    expect(served).toHaveLength(1);
    expect(served[0]).toMatch(
      new RegExp(`^files/${target.id}/${resource.id}/${upload.id}/[0-9a-f]{24}/communes\\.csv$`),
    );
    expect((await api.delete(path(resource), contributor.headers)).status).toBe(204);
    expect(await objectsOf(target, resource)).toEqual([]);
    expect((await fetch(api.url(`/api/1/datasets/r/${resource.id}`), { redirect: 'manual' })).status).toBe(
      404,
    );
  });

  it('refuses an HTML page: before sending (415) or once finalize sees it, leaving no object', async () => {
    const target = await createDataset(producer);
    expectProblem(
      await api.post(
        uploadPath(target),
        { filename: 'page.html', size: 10, mime: 'text/html' },
        contributor.headers,
      ),
      415,
    );
    const html = new TextEncoder().encode('<!DOCTYPE html><html><body>Hello</body></html>');
    const answer = await api.post(
      uploadPath(target),
      { filename: 'data.csv', size: html.length, mime: 'text/csv' },
      contributor.headers,
    );
    expect(answer.status, answer.text).toBe(201);
    await sendForm(answer.json.upload, html, 'data.csv');
    const done = await finalized(answer.json.resource, contributor);
    expect(done.status).toBe('refused');
    expect(done.upload.reason).toMatch(/HTML/i);
    expect(await objectsOf(target, answer.json.resource)).toEqual([]);
    expect((await api.get(`/api/1/datasets/${target.id}/`)).json.community_resources).toEqual([]);
  });

  it('needs a confirmed account, a dataset it can see that is not deleted, and a size within the limit', async () => {
    const target = await createDataset(producer);
    const file = { filename: 'communes.csv', size: bytes.length, mime: 'text/csv' };
    expectProblem(await api.post(uploadPath(target), file), 401);
    const unconfirmed = await newUser({ confirmed: false });
    expectProblem(await api.post(uploadPath(target), file, unconfirmed.headers), 403);
    expectProblem(await api.post(uploadPath({ id: 'no-such-dataset' }), file, contributor.headers), 404);
    const draft = await createDataset(producer, { private: true });
    expectProblem(await api.post(uploadPath(draft), file, contributor.headers), 404);
    expectProblem(
      await api.post(
        uploadPath(target),
        { ...file, size: inject('maxUploadBytes') + 1 },
        contributor.headers,
      ),
      413,
    );
    const missing = expectProblem(
      await api.post(uploadPath(target), { mime: 'text/csv' }, contributor.headers),
      400,
    );
    expect(Object.keys(missing.errors).sort()).toEqual(['filename', 'size']);
    expect((await api.delete(`/api/1/datasets/${target.id}/`, producer.headers)).status).toBe(204);
    expectProblem(await api.post(uploadPath(target), file, contributor.headers), 410);
  });
});
