import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';
import { eventually } from './fixtures';

let user: TestUser;
let stranger: TestUser;
let org: { id: string; slug: string };

/** Polls `read` until `done` holds (consumers act shortly after a write), within a bounded wait. */
async function newContact(body: Record<string, unknown>, by = user) {
  const response = await api.post('/api/1/contacts/', body, by.headers);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; name: string };
}

beforeAll(async () => {
  [user, stranger] = await Promise.all([newUser(), newUser()]);
  const response = await api.post(
    '/api/1/organizations/',
    { name: uniqueTitle('Contacts'), description: 'Described.' },
    user.headers,
  );
  org = response.json;
});

describe('contact points (udata /api/1/contacts/)', () => {
  it('lists udata’s roles', async () => {
    const response = await api.get('/api/1/contacts/roles/');
    expect(response.status).toBe(200);
    expect(response.json.map((role: { id: string }) => role.id)).toEqual(['contact', 'creator', 'publisher']);
  });

  it('creates, reads, updates and deletes a contact point as udata answers them', async () => {
    const created = await api.post(
      '/api/1/contacts/',
      { name: 'Service statistique', email: 'stats@example.org', role: 'contact' },
      user.headers,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      name: 'Service statistique',
      email: 'stats@example.org',
      contact_form: null,
      role: 'contact',
      organization: null,
      owner: { class: 'User', id: user.id },
    });
    const id = created.json.id;
    expect((await api.get(`/api/1/contacts/${id}/`)).json.name).toBe('Service statistique');

    const forbidden = await api.put(`/api/1/contacts/${id}/`, { name: 'Pris' }, stranger.headers);
    expect(forbidden.status).toBe(403);
    const updated = await api.put(
      `/api/1/contacts/${id}/`,
      { contact_form: 'https://example.org/contact' },
      user.headers,
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({
      email: 'stats@example.org',
      contact_form: 'https://example.org/contact',
    });

    expect((await api.delete(`/api/1/contacts/${id}/`, user.headers)).status).toBe(204);
    expect((await api.get(`/api/1/contacts/${id}/`)).status).toBe(404);
  });

  it('lists an organization’s contact points in the list envelope', async () => {
    const first = await newContact({ name: 'Accueil', email: 'a@example.org', organization: org.id });
    const second = await newContact({ name: 'Producteur', role: 'creator', organization: { id: org.id } });
    const page = await api.get(`/api/1/organizations/${org.slug}/contacts/?page_size=1`);
    expect(page.status, page.text).toBe(200);
    expect(page.json.total).toBe(2);
    expect(page.json.data.map((contact: { id: string }) => contact.id)).toEqual([first.id]);
    expect(page.json.data[0].organization).toMatchObject({ class: 'Organization', id: org.id });
    const next = await api.get(page.json.next_page.replace(/^https?:\/\/[^/]+/, ''));
    expect(next.json.data.map((contact: { id: string }) => contact.id)).toEqual([second.id]);
  });

  it('refuses what udata refuses, with field errors', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Sans moyen', role: 'contact' }, 'email'],
      [{ name: 'https://spam.example.org', email: 'a@example.org' }, 'name'],
      [{ name: 'X', email: 'not-an-email' }, 'email'],
      [{ name: 'X', contact_form: 'javascript:alert(1)' }, 'contact_form'],
      [{ name: 'X', email: 'a@example.org', role: 'boss' }, 'role'],
      [{ email: 'a@example.org' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const response = await api.post('/api/1/contacts/', body, user.headers);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(response.json.errors)).toContain(field);
    }
    const notMember = await api.post(
      '/api/1/contacts/',
      { name: 'X', email: 'a@example.org', organization: org.id },
      stranger.headers,
    );
    expect(notMember.status).toBe(400);
  });

  it('sets a dataset’s contact_points by id and keeps them current when one changes or goes', async () => {
    const kept = await newContact({ name: 'Diffusion', email: 'diffusion@example.org' });
    const dropped = await newContact({ name: 'Éditeur', role: 'publisher' });
    const created = await api.post(
      '/api/1/datasets/',
      {
        title: uniqueTitle('Contacts'),
        description: 'Described.',
        contact_points: [kept.id, { id: dropped.id }],
      },
      user.headers,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json.contact_points).toEqual([
      { id: kept.id, name: 'Diffusion', email: 'diffusion@example.org', contact_form: null, role: 'contact' },
      { id: dropped.id, name: 'Éditeur', email: null, contact_form: null, role: 'publisher' },
    ]);
    const dataset = created.json.id as string;

    const unknown = await api.put(
      `/api/1/datasets/${dataset}/`,
      { contact_points: ['0123456789abcdef01234567'] },
      user.headers,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors).toHaveProperty('contact_points');

    await api.put(`/api/1/contacts/${kept.id}/`, { name: 'Diffusion des données' }, user.headers);
    await api.delete(`/api/1/contacts/${dropped.id}/`, user.headers);
    const read = await eventually(
      async () => (await api.get(`/api/1/datasets/${dataset}/`)).json,
      (body) => body.contact_points.length === 1 && body.contact_points[0].name === 'Diffusion des données',
    );
    expect(read.contact_points).toEqual([
      {
        id: kept.id,
        name: 'Diffusion des données',
        email: 'diffusion@example.org',
        contact_form: null,
        role: 'contact',
      },
    ]);

    const cleared = await api.put(`/api/1/datasets/${dataset}/`, { contact_points: [] }, user.headers);
    expect(cleared.status).toBe(200);
    expect(cleared.json.contact_points).toEqual([]);
  });
});
