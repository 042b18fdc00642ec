import { beforeAll, describe, expect, inject, it } from 'vitest';
import { mailTo, newUser, type TestUser, uniqueEmail } from './accounts';
import { api, uniqueTitle } from './client';

/**
 * Absolute URLs in answers and mails come from configuration (locally http://localhost:PORT), whatever
 * Host, X-Forwarded-Host or X-Forwarded-Proto the request carries; stored URLs are http(s) only.
 */
const HOSTILE = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'javascript',
};
const origin = () => new URL(inject('apiUrl')).origin;

let owner: TestUser;
beforeAll(async () => {
  owner = await newUser();
});

function expectNoHostile(text: string) {
  expect(text).not.toMatch(/evil\.example|javascript:/);
}

describe('absolute URLs ignore the request headers', () => {
  it('uri, page, Location and the list links come from configuration', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle(), description: 'x' },
      { ...owner.headers, ...HOSTILE },
    );
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(`${origin()}/api/1/datasets/${created.json.id}/`);
    expectNoHostile(created.text);
    const read = await api.getWith(`/api/1/datasets/${created.json.id}/`, HOSTILE);
    expect(read.json.uri).toBe(`${origin()}/api/1/datasets/${created.json.id}/`);
    expectNoHostile(read.text);
    await api.post('/api/1/datasets/', { title: uniqueTitle(), description: 'x' }, owner.headers);
    const list = await api.getWith('/api/1/datasets/?page_size=1', HOSTILE);
    expect(list.json.next_page.startsWith(`${origin()}/api/1/datasets/?`)).toBe(true);
    expectNoHostile(list.text);
    const openapi = await api.getWith('/api/1/swagger.json', HOSTILE);
    expectNoHostile(openapi.text);
  });

  it('the confirmation link of a mail comes from configuration', async () => {
    const email = uniqueEmail();
    const registered = await api.post(
      '/register/',
      { email, password: 'Correct-Horse-9', first_name: 'A', last_name: 'B' },
      HOSTILE,
    );
    expect(registered.status, registered.text).toBe(201);
    const mail = await mailTo(email, { subject: 'Confirmez' });
    expectNoHostile(mail);
    expect(mail).toContain(`${origin()}/confirm/`);
  });
});

describe('stored URLs are http(s) only', () => {
  const bad = [
    'javascript:alert(1)',
    'javascript://evil.example/%0Aalert(1)',
    'data:text/html,x',
    'ftp://example.org/x',
    'file:///etc/passwd',
    'vbscript:x',
  ];

  it.each(bad)('a user website %s answers 400', async (url) => {
    const response = await api.put('/api/1/me/', { website: url }, owner.headers);
    expect(response.status, response.text).toBe(400);
    expect(response.json.errors).toHaveProperty('website');
  });

  it.each(bad)('a resource schema.url %s answers 400', async (url) => {
    const dataset = (
      await api.post('/api/1/datasets/', { title: uniqueTitle(), description: 'x' }, owner.headers)
    ).json;
    const response = await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'R', url: 'https://example.org/r.csv', schema: { url } },
      owner.headers,
    );
    expect(response.status, response.text).toBe(400);
    const link = await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'R', url },
      owner.headers,
    );
    expect(link.status, link.text).toBe(400);
    const community = await api.post(
      '/api/1/datasets/community_resources/',
      { dataset: dataset.id, title: 'C', url },
      owner.headers,
    );
    expect(community.status, community.text).toBe(400);
  });

  it.each(bad)('an organization url %s answers 400', async (url) => {
    const response = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Org'), description: 'x', url },
      owner.headers,
    );
    expect(response.status, response.text).toBe(400);
  });

  it('http and https URLs are kept', async () => {
    const response = await api.put('/api/1/me/', { website: 'https://example.org/me' }, owner.headers);
    expect(response.status, response.text).toBe(200);
    expect(response.json.website).toBe('https://example.org/me');
  });
});
