import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newUser } from './accounts';
import { api, drained, uniqueTitle } from './client';

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** What a browser does with a presigned POST (the browser itself is tested in browser-upload.test.ts). */
async function sendFile(
  answer: { upload: { url: string; fields: Record<string, string> } },
  bytes: Uint8Array,
  name: string,
) {
  const form = new FormData();
  for (const [field, value] of Object.entries(answer.upload.fields)) form.append(field, value);
  form.append('file', new Blob([bytes]), name);
  const response = await fetch(answer.upload.url, { method: 'POST', body: form });
  expect(response.status).toBeLessThan(300);
}

async function finalized(path: string, headers: Record<string, string>, uploadId: string) {
  for (let attempt = 0; attempt < 150; attempt++) {
    const response = await api.getWith(path, headers);
    if (response.json.upload?.id === uploadId && response.json.upload.status !== 'pending')
      return response.json;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`upload ${uploadId} never finalized`);
}

/** Issue 4's "done when", as a producer lives it through the API. */
describe('a producer keeps a dataset alive', () => {
  it('drafts, uploads, links, publishes, reorders, replaces, is downloaded, transfers, deletes and restores', async () => {
    const [producer, otherAdmin] = await Promise.all([newUser(), newUser()]);
    const me = producer.headers;
    const org = (
      await api.post('/api/1/organizations/', { name: uniqueTitle('Région'), description: 'x' }, me)
    ).json;
    const otherOrg = (
      await api.post(
        '/api/1/organizations/',
        { name: uniqueTitle('Département'), description: 'x' },
        otherAdmin.headers,
      )
    ).json;

    // A private dataset (a draft) for the organization.
    const created = await api.post(
      '/api/1/datasets/',
      {
        title: uniqueTitle('Comptages vélo'),
        description: 'Comptages horaires.',
        organization: org.id,
        private: true,
        license: 'lov2',
        frequency: 'daily',
      },
      me,
    );
    expect(created.status).toBe(201);
    const dataset = created.json;
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).status).toBe(404);

    // A CSV uploaded straight to storage, then a remote link.
    const first = new TextEncoder().encode('site,count\nA,12\nB,7\n');
    const upload = await api.post(
      `/api/1/datasets/${dataset.id}/upload/`,
      { filename: 'comptages.csv', size: first.length, mime: 'text/csv' },
      me,
    );
    expect(upload.status).toBe(201);
    await sendFile(upload.json, first, 'comptages.csv');
    const resourcePath = `/api/1/datasets/${dataset.id}/resources/${upload.json.resource.id}/`;
    const file = await finalized(resourcePath, me, upload.json.upload.id);
    expect(file).toMatchObject({
      filesize: first.length,
      format: 'csv',
      checksum: { type: 'sha1', value: sha1(first) },
    });
    const link = await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'API temps réel', url: 'https://example.org/api', type: 'api', filetype: 'remote' },
      me,
    );
    expect(link.status).toBe(201);

    // Published; the resources reordered (new ones come first, as in udata).
    expect((await api.put(`/api/1/datasets/${dataset.id}/`, { private: false }, me)).status).toBe(200);
    let read = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(read.resources.map((resource: { id: string }) => resource.id)).toEqual([link.json.id, file.id]);
    const reordered = await api.put(`/api/1/datasets/${dataset.id}/resources/`, [file.id, link.json.id], me);
    expect(reordered.status).toBe(200);
    read = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(read.resources.map((resource: { id: string }) => resource.id)).toEqual([file.id, link.json.id]);

    // The file replaced: same stable URL, new checksum; the download is counted.
    const second = new TextEncoder().encode('site,count\nA,12\nB,7\nC,31\n');
    const replace = await api.post(
      `${resourcePath}upload/`,
      { filename: 'comptages.csv', size: second.length, mime: 'text/csv' },
      me,
    );
    expect(replace.status).toBe(201);
    await sendFile(replace.json, second, 'comptages.csv');
    const replaced = await finalized(resourcePath, me, replace.json.upload.id);
    expect(replaced.latest).toBe(file.latest);
    expect(replaced.checksum.value).toBe(sha1(second));
    const download = await fetch(file.latest, { redirect: 'manual' });
    expect(download.status).toBe(302);
    const served = await fetch(download.headers.get('location')!);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(second);
    await drained();
    const counted = (await api.get(resourcePath)).json;
    expect(counted.metrics.views).toBeGreaterThanOrEqual(1);

    // Transferred to another organization, which accepts.
    const transfer = await api.post(
      '/api/1/transfer/',
      {
        subject: { class: 'Dataset', id: dataset.id },
        recipient: { class: 'Organization', id: otherOrg.id },
        comment: 'Yours now.',
      },
      me,
    );
    expect(transfer.status).toBe(201);
    const accepted = await api.post(
      `/api/1/transfer/${transfer.json.id}/`,
      { response: 'accept' },
      otherAdmin.headers,
    );
    expect(accepted.status).toBe(200);
    read = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(read.organization.id).toBe(otherOrg.id);
    expect((await api.put(`/api/1/datasets/${dataset.id}/`, { title: 'Still mine?' }, me)).status).toBe(403);

    // Deleted (410), then restored by its new owner.
    expect((await api.delete(`/api/1/datasets/${dataset.id}/`, otherAdmin.headers)).status).toBe(204);
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).status).toBe(410);
    const restored = await api.put(`/api/1/datasets/${dataset.id}/`, { deleted: null }, otherAdmin.headers);
    expect(restored.status).toBe(200);
    expect(restored.json.deleted).toBeNull();
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.resources).toHaveLength(2);

    // Lists embed each dataset's resources, in order, as udata's v1 lists do.
    const listed = (await api.get(`/api/1/organizations/${otherOrg.id}/datasets/`)).json.data;
    expect(listed.map((item: { id: string }) => item.id)).toEqual([dataset.id]);
    expect(listed[0].resources.map((resource: { id: string }) => resource.id)).toEqual([
      file.id,
      link.json.id,
    ]);
    const global = (await api.get(`/api/1/datasets/?organization=${otherOrg.id}`)).json.data;
    expect(global[0].resources).toHaveLength(2);
  }, 60_000);
});
