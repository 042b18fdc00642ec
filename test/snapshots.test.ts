import { describe, expect, it } from 'vitest';
import { newUser } from './accounts';
import { api, drained, uniqueTitle } from './client';

/**
 * Datasets keep their owner's name and slug so a read needs no second lookup; after a rename the
 * snapshots consumer brings every copy up to date.
 */
describe('after a rename', () => {
  it('every dataset of an organization shows its new name, slug and page', async () => {
    const admin = await newUser();
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Ancien nom'), description: 'Publishes.' },
      admin.headers,
    );
    expect(org.status).toBe(201);
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        api.post(
          '/api/1/datasets/',
          {
            title: uniqueTitle(`Renamed ${index}`),
            description: 'x',
            organization: org.json.id,
            private: index % 4 === 0,
          },
          admin.headers,
        ),
      ),
    );
    expect(created.map((response) => response.status)).toEqual(created.map(() => 201));

    const name = uniqueTitle('Nouveau nom');
    const renamed = await api.put(`/api/1/organizations/${org.json.id}/`, { name }, admin.headers);
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.slug).not.toBe(org.json.slug);
    await drained();

    const shown = await Promise.all(
      created.map(
        async (response) => (await api.getWith(`/api/1/datasets/${response.json.id}/`, admin.headers)).json,
      ),
    );
    for (const dataset of shown) {
      expect(dataset.organization).toMatchObject({
        id: org.json.id,
        name,
        slug: renamed.json.slug,
        page: expect.stringMatching(new RegExp(`/organizations/${renamed.json.slug}/$`)),
      });
    }
    const listed = await api.getWith(
      `/api/1/organizations/${org.json.id}/datasets/?page_size=100`,
      admin.headers,
    );
    expect(
      listed.json.data.map((dataset: { organization: { name: string } }) => dataset.organization.name),
    ).toEqual(Array(40).fill(name));
  });

  it('a user’s datasets and memberships show the new name', async () => {
    const user = await newUser();
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Where I work'), description: 'x' },
      user.headers,
    );
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Mine'), description: 'x' },
      user.headers,
    );
    expect(dataset.status).toBe(201);
    const me = await api.put('/api/1/me/', { first_name: 'Dominique', last_name: 'Renommée' }, user.headers);
    expect(me.status, me.text).toBe(200);
    await drained();

    expect((await api.get(`/api/1/datasets/${dataset.json.id}/`)).json.owner).toMatchObject({
      id: user.id,
      first_name: 'Dominique',
      last_name: 'Renommée',
    });
    const members = (await api.get(`/api/1/organizations/${org.json.id}/`)).json.members;
    expect(members).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ id: user.id, first_name: 'Dominique' }) }),
    ]);
  });

  it('a member who renamed after asking to join shows the new name once accepted', async () => {
    const admin = await newUser();
    const joiner = await newUser();
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Rejoindre'), description: 'x' },
      admin.headers,
    );
    const asked = await api.post(
      `/api/1/organizations/${org.json.id}/membership/`,
      { comment: 'Bonjour' },
      joiner.headers,
    );
    expect(asked.status, asked.text).toBe(201);
    const me = await api.put('/api/1/me/', { first_name: 'Camille', last_name: 'Nouvelle' }, joiner.headers);
    expect(me.status, me.text).toBe(200);
    await drained();
    const accepted = await api.post(
      `/api/1/organizations/${org.json.id}/membership/${asked.json.id}/accept/`,
      undefined,
      admin.headers,
    );
    expect(accepted.status, accepted.text).toBe(200);
    await drained();

    const members = (await api.get(`/api/1/organizations/${org.json.id}/`)).json.members;
    expect(members).toContainEqual(
      expect.objectContaining({
        user: expect.objectContaining({ id: joiner.id, first_name: 'Camille', last_name: 'Nouvelle' }),
      }),
    );
  });

  it('a dataset deleted during a rename shows the new name once restored', async () => {
    const admin = await newUser();
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Avant'), description: 'x' },
      admin.headers,
    );
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Supprimé puis restauré'), description: 'x', organization: org.json.id },
      admin.headers,
    );
    expect(dataset.status, dataset.text).toBe(201);
    expect((await api.delete(`/api/1/datasets/${dataset.json.id}/`, admin.headers)).status).toBe(204);
    const name = uniqueTitle('Après');
    const renamed = await api.put(`/api/1/organizations/${org.json.id}/`, { name }, admin.headers);
    expect(renamed.status, renamed.text).toBe(200);
    await drained();
    const restored = await api.put(`/api/1/datasets/${dataset.json.id}/`, { deleted: null }, admin.headers);
    expect(restored.status, restored.text).toBe(200);
    await drained();

    const shown = await api.getWith(`/api/1/datasets/${dataset.json.id}/`, admin.headers);
    expect(shown.json.organization).toMatchObject({ id: org.json.id, name, slug: renamed.json.slug });
  });
});
