import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';

/**
 * What datasets, reuses, contact points and organizations' member lists show of their owner (udata
 * embeds `organization.logo`/`logo_thumbnail` and `owner.avatar`/`avatar_thumbnail`) follows a new logo
 * or avatar once the platform has settled, as it follows a rename.
 */
let admin: TestUser;
let member: TestUser;
let org: string;

function png(size: number, red: number): Buffer {
  const image = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) {
    image.data[i * 4] = red;
    image.data[i * 4 + 1] = 90;
    image.data[i * 4 + 2] = 140;
    image.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(image);
}

async function postImage(path: string, bytes: Uint8Array, headers: Record<string, string>) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'image.png');
  const response = await fetch(api.url(path), { method: 'POST', body: form, headers });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as { image: string };
}

beforeAll(async () => {
  [admin, member] = await Promise.all([newUser(), newUser()]);
  org = (
    await api.post('/api/1/organizations/', { name: uniqueTitle('Copies'), description: 'D.' }, admin.headers)
  ).json.id;
  const added = await api.post(
    `/api/1/organizations/${org}/member/`,
    { user: member.id, role: 'editor' },
    admin.headers,
  );
  expect(added.status, added.text).toBe(201);
});

describe('owner copies follow a new logo or avatar', () => {
  it('a new logo shows on the organization’s datasets, reuses and contact points', async () => {
    await postImage(`/api/1/organizations/${org}/logo/`, png(64, 10), admin.headers);
    const [dataset, reuse, contact] = await Promise.all([
      api.post(
        '/api/1/datasets/',
        { title: uniqueTitle('Copies'), description: 'D.', organization: org },
        admin.headers,
      ),
      api.post(
        '/api/1/reuses/',
        {
          title: uniqueTitle('Copies'),
          description: 'D.',
          type: 'visualization',
          topic: 'others',
          url: `https://apps.example.org/copies/${Date.now().toString(36)}`,
          organization: org,
          private: true,
        },
        admin.headers,
      ),
      api.post(
        '/api/1/contacts/',
        { name: 'Service', email: 'service@example.org', organization: org },
        admin.headers,
      ),
    ]);
    for (const created of [dataset, reuse, contact]) expect(created.status, created.text).toBe(201);

    const before = (await api.get(`/api/1/organizations/${org}/`)).json;
    const replaced = await postImage(`/api/1/organizations/${org}/logo/`, png(64, 200), admin.headers);
    expect(replaced.image).not.toBe(before.logo);
    const after = (await api.get(`/api/1/organizations/${org}/`)).json;
    expect(after.logo).toBe(replaced.image);
    await drained();

    const shown = [
      (await api.getWith(`/api/1/datasets/${dataset.json.id}/`, admin.headers)).json.organization,
      (await api.getWith(`/api/1/reuses/${reuse.json.id}/`, admin.headers)).json.organization,
      (await api.getWith(`/api/1/contacts/${contact.json.id}/`, admin.headers)).json.organization,
    ];
    for (const organization of shown) {
      expect(organization).toMatchObject({ id: org, logo: after.logo, logo_thumbnail: after.logo_thumbnail });
    }
  });

  it('a new avatar shows in the organization’s member list and on the user’s reuses', async () => {
    const reuse = await api.post(
      '/api/1/reuses/',
      {
        title: uniqueTitle('Avatar'),
        description: 'D.',
        type: 'application',
        topic: 'others',
        url: `https://apps.example.org/avatar/${Date.now().toString(36)}`,
        private: true,
      },
      member.headers,
    );
    expect(reuse.status, reuse.text).toBe(201);
    const memberOf = async () =>
      (await api.get(`/api/1/organizations/${org}/`)).json.members.find(
        (entry: { user: { id: string } }) => entry.user.id === member.id,
      ).user;
    expect((await memberOf()).avatar).toBeNull();

    await postImage('/api/1/me/avatar/', png(600, 30), member.headers);
    const me = (await api.getWith('/api/1/me/', member.headers)).json;
    await drained();

    expect(await memberOf()).toMatchObject({ avatar: me.avatar, avatar_thumbnail: me.avatar_thumbnail });
    expect((await api.getWith(`/api/1/reuses/${reuse.json.id}/`, member.headers)).json.owner).toMatchObject({
      id: member.id,
      avatar: me.avatar,
      avatar_thumbnail: me.avatar_thumbnail,
    });
  });

  it('a member who joins after uploading an avatar shows it at once', async () => {
    const joiner = await newUser();
    await postImage('/api/1/me/avatar/', png(600, 120), joiner.headers);
    const me = (await api.getWith('/api/1/me/', joiner.headers)).json;
    const added = await api.post(
      `/api/1/organizations/${org}/member/`,
      { user: joiner.id, role: 'editor' },
      admin.headers,
    );
    expect(added.status, added.text).toBe(201);
    const shown = (await api.get(`/api/1/organizations/${org}/`)).json.members.find(
      (entry: { user: { id: string } }) => entry.user.id === joiner.id,
    ).user;
    expect(shown).toMatchObject({ avatar: me.avatar, avatar_thumbnail: me.avatar_thumbnail });
  });
});
