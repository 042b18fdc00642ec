import { describe, expect, it } from 'vitest';
import { linkIn, login, mailTo, newUser, PASSWORD, register } from './accounts';
import { api, drained, uniqueTitle } from './client';

/** The scenario of issue 3, as people would live it through the API. */
describe('publishing for an organization', () => {
  it('goes from registration to a private dataset that only members see', async () => {
    // A producer registers, confirms through the mailed link, logs in and creates an API token.
    const { email } = await register();
    const link = linkIn(await mailTo(email, { subject: 'Confirmez' }), 'confirm');
    expect((await fetch(link)).status).toBe(200);
    const session = await login(email, PASSWORD);
    const tokenResponse = await api.post(
      '/api/1/me/api_tokens/',
      { name: 'laptop' },
      { cookie: session.cookie, 'x-csrf-token': session.csrf },
    );
    expect(tokenResponse.status).toBe(201);
    const admin = { 'x-api-key': tokenResponse.json.token as string };

    // … and creates an organization, of which they become admin.
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Métropole'), description: 'Open data of the metropolis.' },
      admin,
    );
    expect(org.status).toBe(201);
    const me = await api.getWith('/api/1/me/', admin);
    expect(me.json.organizations).toEqual([expect.objectContaining({ id: org.json.id, role: 'admin' })]);

    // A second user asks to join; the admin accepts.
    const second = await newUser();
    const request = await api.post(
      `/api/1/organizations/${org.json.id}/membership/`,
      { comment: 'I work there.' },
      second.headers,
    );
    expect(request.status).toBe(201);
    const accepted = await api.post(
      `/api/1/organizations/${org.json.id}/membership/${request.json.id}/accept/`,
      {},
      admin,
    );
    expect(accepted.status).toBe(200);

    // The second user publishes a private dataset for the organization with their API key.
    const dataset = await api.post(
      '/api/1/datasets/',
      {
        title: uniqueTitle('Budget'),
        description: 'Draft budget.',
        organization: org.json.id,
        private: true,
      },
      second.headers,
    );
    expect(dataset.status).toBe(201);
    expect(dataset.json.organization).toMatchObject({ id: org.json.id, name: org.json.name });
    expect(dataset.json.owner).toBeNull();

    // A third user may neither edit it (403 once public) nor see it while it is private (404).
    const third = await newUser();
    expect((await api.getWith(`/api/1/datasets/${dataset.json.id}/`, third.headers)).status).toBe(404);
    expect((await api.get(`/api/1/datasets/${dataset.json.id}/`)).status).toBe(404);
    expect(
      (await api.put(`/api/1/datasets/${dataset.json.id}/`, { title: 'Mine now' }, third.headers)).status,
    ).toBe(404);
    expect((await api.getWith(`/api/1/datasets/${dataset.json.id}/`, admin)).status).toBe(200);
    const orgList = await api.getWith(`/api/1/organizations/${org.json.id}/datasets/`, third.headers);
    expect(orgList.json.data).toEqual([]);
    const memberList = await api.getWith(`/api/1/organizations/${org.json.id}/datasets/`, second.headers);
    expect(memberList.json.data.map((item: { id: string }) => item.id)).toEqual([dataset.json.id]);

    const published = await api.put(`/api/1/datasets/${dataset.json.id}/`, { private: false }, admin);
    expect(published.status).toBe(200);
    const edit = await api.put(`/api/1/datasets/${dataset.json.id}/`, { title: 'Mine now' }, third.headers);
    expect(edit.status).toBe(403);
    expect(edit.json.message).toBe('You do not have the permission to modify that object.');
    expect((await api.getWith(`/api/1/datasets/${dataset.json.id}/`, third.headers)).status).toBe(200);
    await drained();
    expect(
      (await api.getWith(`/api/1/organizations/${org.json.id}/datasets/`, third.headers)).json.total,
    ).toBe(1);
  });

  it('refuses to publish before the email is confirmed, and for an organization one does not belong to', async () => {
    const unconfirmed = await newUser({ confirmed: false });
    const refused = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle(), description: 'x' },
      unconfirmed.headers,
    );
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/Confirm your email/);

    const owner = await newUser();
    const outsider = await newUser();
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Org'), description: 'x' },
      owner.headers,
    );
    const foreign = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle(), description: 'x', organization: org.json.id },
      outsider.headers,
    );
    expect(foreign.status).toBe(400);
    expect(foreign.json.errors.organization[0]).toMatch(/belong to/);
    const unknown = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle(), description: 'x', organization: '0123456789abcdef01234567' },
      outsider.headers,
    );
    expect(unknown.status).toBe(400);
  });

  it('lists what a user published on their profile and their own drafts under /me/datasets/', async () => {
    const author = await newUser();
    const visible = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Public'), description: 'x' },
      author.headers,
    );
    const draft = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Draft'), description: 'x', private: true },
      author.headers,
    );
    await drained();
    const profile = await api.get(`/api/1/users/${author.id}/`);
    expect(profile.json.metrics.datasets).toBe(1);
    const listed = await fetch(profile.json.datasets);
    const page = (await listed.json()) as { data: { id: string }[]; total: number };
    expect(page.data.map((item) => item.id)).toEqual([visible.json.id]);
    expect(page.total).toBe(1);
    const mine = await api.getWith('/api/1/me/datasets/', author.headers);
    expect(mine.json.data.map((item: { id: string }) => item.id)).toEqual([draft.json.id, visible.json.id]);
    expect(mine.json.total).toBe(2);
    expect(visible.json.owner).toMatchObject({ id: author.id, first_name: 'Camille' });
  });
});
