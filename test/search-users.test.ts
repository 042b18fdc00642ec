import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, PASSWORD, type TestUser, uniqueEmail } from './accounts';
import { api, drained } from './client';
import { eventually } from './fixtures';

/** Users in search, as a sysadmin finds them: each name here carries this file's own word. */
const word = `Zéphyrine${Date.now().toString(36)}`;
let sysadmin: TestUser;
const asSysadmin = (path: string) => api.request('GET', path, undefined, sysadmin.headers);

async function named(user: TestUser, first_name: string, last_name: string) {
  const response = await api.put('/api/1/me/', { first_name, last_name }, user.headers);
  expect(response.status, response.text).toBe(200);
}

async function found(q: string, more = ''): Promise<string[]> {
  await drained();
  const response = await asSysadmin(`/api/1/users/?q=${encodeURIComponent(q)}${more}`);
  expect(response.status, response.text).toBe(200);
  return response.json.data.map((user: { id: string }) => user.id);
}

beforeAll(async () => {
  sysadmin = await newUser({ sysadmin: true });
});

describe('users in search', () => {
  it('finds active users by name, accents and one typo forgiven, never deleted or unconfirmed ones', async () => {
    const [hélène, marc, leaving] = await Promise.all([newUser(), newUser(), newUser()]);
    if (!hélène || !marc || !leaving) throw new Error('users not made');
    const unconfirmed = await api.post('/register/', {
      email: uniqueEmail(),
      password: PASSWORD,
      first_name: 'Hélène',
      last_name: `Masquée ${word}`,
    });
    expect(unconfirmed.status, unconfirmed.text).toBe(201);
    await Promise.all([
      named(hélène, 'Hélène', `Dupré ${word}`),
      named(marc, 'Marc', `Lefèvre ${word}`),
      named(leaving, 'Hélène', `Partie ${word}`),
    ]);
    expect((await found(`helene ${word}`)).sort()).toEqual([hélène.id, leaving.id].sort());
    expect(await found(`lefevre ${word}`)).toEqual([marc.id]);
    expect(await found(`lefebre ${word}`)).toEqual([marc.id]);
    const page = await asSysadmin(`/api/1/users/?q=${encodeURIComponent(`dupre ${word}`)}`);
    expect(page.json).toMatchObject({ total: 1, page: 1, next_page: null });
    expect(page.json.data[0]).toMatchObject({
      id: hélène.id,
      first_name: 'Hélène',
      slug: expect.any(String),
    });
    expect(page.json.data[0]).not.toHaveProperty('email');

    expect((await api.delete('/api/1/me/', leaving.headers)).status).toBe(204);
    expect(await found(`helene ${word}`)).toEqual([hélène.id]);
  });

  it('is for sysadmins only, and answers bad input with a clear 400', async () => {
    const someone = await newUser();
    expect((await api.get('/api/1/users/')).status).toBe(401);
    expect((await api.request('GET', '/api/1/users/', undefined, someone.headers)).status).toBe(403);
    for (const path of [
      '/api/1/users/?sort=nope',
      `/api/1/users/?q=${'x'.repeat(1001)}`,
      '/api/1/users/?page=0',
    ]) {
      const response = await asSysadmin(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const past = await asSysadmin(`/api/1/users/?q=${word}&page=50`);
    expect(past.status).toBe(200);
    expect(past.json.data).toEqual([]);
    expect((await asSysadmin('/api/1/users/?q=%3F!%3B')).status).toBe(200);
  });

  it('suggests accounts to signed-in callers as a name is typed, the last word completed, without their email', async () => {
    const [gaspard, asking] = await Promise.all([newUser(), newUser()]);
    if (!gaspard || !asking) throw new Error('users not made');
    await named(gaspard, 'Gaspard', `Suggéré ${word}`);
    const suggest = (q: string) =>
      api.request(
        'GET',
        `/api/1/users/suggest/?q=${encodeURIComponent(q)}&size=5`,
        undefined,
        asking.headers,
      );
    const items = await eventually(
      async () => (await suggest(`${word} Gasp`)).json,
      (found) => Array.isArray(found) && found.some((item: { id: string }) => item.id === gaspard.id),
      'the renamed account in the suggestions',
    );
    expect(items.find((item: { id: string }) => item.id === gaspard.id)).toEqual({
      id: gaspard.id,
      first_name: 'Gaspard',
      last_name: `Suggéré ${word}`,
      slug: expect.any(String),
      avatar_url: null,
      page: expect.stringContaining('/users/'),
    });
    expect((await api.get(`/api/1/users/suggest/?q=${word}`)).status).toBe(401);
    for (const query of ['size=0', 'size=101', 'size=x', `q=${'x'.repeat(1001)}`]) {
      const refused = await api.request('GET', `/api/1/users/suggest/?${query}`, undefined, asking.headers);
      expect(refused.status, query).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
