import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';

let publisher: TestUser;
beforeAll(async () => {
  publisher = await newUser();
});

/** Every refusal is a 4xx problem document naming the field or the reason; none writes anything. */
async function expectProblem(response: Awaited<ReturnType<typeof api.request>>, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(response.json.message).toBe(response.json.detail);
  return response.json;
}

/** Nothing was written: the slug the title would have taken does not exist. */
async function expectNoDataset(title: string) {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  expect((await api.get(`/api/1/datasets/${slug}/`)).status).toBe(404);
}

describe('creating a dataset with bad input', () => {
  it('refuses malformed JSON', async () => {
    const title = uniqueTitle('Malformed');
    const problem = await expectProblem(
      await api.post('/api/1/datasets/', `{"title": "${title}", "description": `, publisher.headers),
      400,
    );
    expect(problem.message).toMatch(/not valid JSON/);
    await expectNoDataset(title);
  });

  it('refuses a body that is not an object', async () => {
    const problem = await expectProblem(
      await api.post('/api/1/datasets/', '["a list"]', publisher.headers),
      400,
    );
    expect(problem.message).toMatch(/JSON object/);
  });

  it('refuses a body that is not JSON', async () => {
    const title = uniqueTitle('Form');
    const response = await api.post('/api/1/datasets/', `title=${title}`, {
      'content-type': 'application/x-www-form-urlencoded',
      ...publisher.headers,
    });
    const problem = await expectProblem(response, 415);
    expect(problem.message).toMatch(/application\/json/);
    await expectNoDataset(title);
  });

  it('names each missing required field', async () => {
    const problem = await expectProblem(
      await api.post('/api/1/datasets/', { acronym: 'X' }, publisher.headers),
      400,
    );
    expect(problem.errors).toEqual({
      title: ['This field is required.'],
      description: ['This field is required.'],
    });
  });

  it('names a field with the wrong type', async () => {
    const problem = await expectProblem(
      await api.post('/api/1/datasets/', { title: 42, description: 'x' }, publisher.headers),
      400,
    );
    expect(Object.keys(problem.errors)).toEqual(['title']);
  });

  it('refuses an unknown license and lists the allowed ones', async () => {
    const title = uniqueTitle('Bad license');
    const problem = await expectProblem(
      await api.post('/api/1/datasets/', { title, description: 'x', license: 'wtfpl' }, publisher.headers),
      400,
    );
    expect(problem.errors.license[0]).toMatch(/Unknown license "wtfpl".*lov2.*odc-odbl/);
    await expectNoDataset(title);
  });

  it('refuses an unknown frequency and lists the allowed ones', async () => {
    const problem = await expectProblem(
      await api.post(
        '/api/1/datasets/',
        { title: uniqueTitle(), description: 'x', frequency: 'sometimes' },
        publisher.headers,
      ),
      400,
    );
    expect(problem.errors.frequency[0]).toMatch(/Unknown frequency "sometimes".*monthly/);
  });

  it('refuses a schema name outside the catalogue and creates nothing', async () => {
    const title = uniqueTitle('Bad schema');
    const problem = await expectProblem(
      await api.post(
        '/api/1/datasets/',
        { title, description: 'x', schema: { name: 'made/up', version: '1.0.0' } },
        publisher.headers,
      ),
      400,
    );
    expect(problem.errors['schema.name'][0]).toMatch(
      /Schema name "made\/up" is not an allowed value.*scdl\/deliberations/,
    );
    await expectNoDataset(title);
  });

  it('refuses a tag that is too short once normalized', async () => {
    const problem = await expectProblem(
      await api.post(
        '/api/1/datasets/',
        { title: uniqueTitle(), description: 'x', tags: ['ok-tag', '!a!'] },
        publisher.headers,
      ),
      400,
    );
    expect(problem.errors.tags[0]).toMatch(/"!a!"/);
  });

  it('refuses a title over 350 characters', async () => {
    const problem = await expectProblem(
      await api.post('/api/1/datasets/', { title: 'x'.repeat(351), description: 'x' }, publisher.headers),
      400,
    );
    expect(problem.errors.title[0]).toMatch(/350/);
  });

  it('refuses an oversized body with 413', async () => {
    const title = uniqueTitle('Huge');
    const problem = await expectProblem(
      await api.post(
        '/api/1/datasets/',
        { title, description: 'x'.repeat(1024 * 1024 + 10) },
        publisher.headers,
      ),
      413,
    );
    expect(problem.message).toMatch(/limit/);
    await expectNoDataset(title);
  });
});

describe('updating and deleting with bad input', () => {
  it('answers 404 for an unknown dataset', async () => {
    await expectProblem(
      await api.put('/api/1/datasets/no-such-dataset/', { title: 'x' }, publisher.headers),
      404,
    );
    await expectProblem(
      await api.delete('/api/1/datasets/0123456789abcdef01234567/', publisher.headers),
      404,
    );
  });

  it('refuses an invalid update and leaves the dataset unchanged', async () => {
    const created = (
      await api.post('/api/1/datasets/', { title: uniqueTitle(), description: 'Kept.' }, publisher.headers)
    ).json;
    const problem = await expectProblem(
      await api.put(
        `/api/1/datasets/${created.id}/`,
        { description: '', license: 'nope' },
        publisher.headers,
      ),
      400,
    );
    expect(Object.keys(problem.errors).sort()).toEqual(['description', 'license']);
    const after = (await api.get(`/api/1/datasets/${created.id}/`)).json;
    expect(after).toEqual(created);
  });
});

describe('listing with bad parameters', () => {
  it.each([
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['page_size=1000', 'page_size'],
    ['cursor=not-a-cursor', 'cursor'],
    [`q=${'x'.repeat(1001)}`, 'q'],
    ['tag=x', 'tag'],
    ['sort=name', 'sort'],
    ['sort=-relevance', 'sort'],
    // A sort the search index serves pages as a search does: at most 10,000 results deep.
    ['sort=-views&page=600', 'page'],
    ['license=wtfpl', 'license'],
    ['organization=etalab', 'organization'],
    ['followed_by=someone', 'followed_by'],
  ])('refuses %s naming %s', async (query, field) => {
    const problem = await expectProblem(await api.get(`/api/1/datasets/?${query}`), 400);
    expect(Object.keys(problem.errors)).toContain(field);
  });

  it('refuses a cursor forged for another partition', async () => {
    const forged = Buffer.from(JSON.stringify({ GSI1PK: 'USERS', GSI1SK: 'x', PK: 'x', SK: 'x' })).toString(
      'base64url',
    );
    const problem = await expectProblem(await api.get(`/api/1/datasets/?cursor=${forged}`), 400);
    expect(problem.errors).toHaveProperty('cursor');
  });
});

describe('the HTTP surface', () => {
  it('answers an unknown path with 404', async () => {
    expect((await api.get('/api/1/no-such-thing/')).status).toBe(404);
  });

  it('answers CORS preflights and exposes the request id', async () => {
    const preflight = await fetch(api.url('/api/1/datasets/'), {
      method: 'OPTIONS',
      headers: { origin: 'https://reuser.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-API-KEY/i);
    const response = await api.get('/api/1/datasets/licenses/');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/i);
  });
});

describe('discussions and reports with bad input', () => {
  async function publicDataset() {
    const response = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Discuté'), description: 'x' },
      publisher.headers,
    );
    expect(response.status, response.text).toBe(201);
    return response.json.id as string;
  }
  const start = (subject: string, fields: Record<string, unknown> = {}) =>
    api.post(
      '/api/1/discussions/',
      { title: 'Question', comment: 'Bonjour', subject: { class: 'Dataset', id: subject }, ...fields },
      publisher.headers,
    );

  it('refuses a comment of 50,001 characters, naming the field', async () => {
    const dataset = await publicDataset();
    const problem = await expectProblem(await start(dataset, { comment: 'a'.repeat(50_001) }), 400);
    expect(problem.errors.comment).toBeDefined();
    const opened = await start(dataset);
    expect(opened.status, opened.text).toBe(201);
    const reply = await api.post(
      `/api/1/discussions/${opened.json.id}/`,
      { comment: 'é'.repeat(50_001) },
      publisher.headers,
    );
    expect((await expectProblem(reply, 400)).errors.comment).toBeDefined();
    expect((await api.get(`/api/1/discussions/${opened.json.id}/`)).json.discussion).toHaveLength(1);
  });

  it('refuses fields of the wrong type or shape', async () => {
    const dataset = await publicDataset();
    for (const fields of [
      { title: 42 },
      { title: '   ' },
      { title: 't'.repeat(351) },
      { comment: ['a'] },
      { subject: 'dataset' },
      { subject: { class: 'Dataset' } },
      { subject: { class: 'Topic', id: dataset } },
      { organization: 12 },
      { organization: 'ffffffffffffffffffffffff' },
      { extras: 'x' },
      { extras: { big: 'x'.repeat(20_000) } },
    ]) {
      await expectProblem(await start(dataset, fields), 400);
    }
    const opened = (await start(dataset)).json;
    for (const body of [{ close: 'yes' }, { comment: 7 }, { comment: '' }, {}, { organization: 'nope' }]) {
      await expectProblem(await api.post(`/api/1/discussions/${opened.id}/`, body, publisher.headers), 400);
    }
    await expectProblem(await api.get('/api/1/discussions/?page_size=1000'), 400);
    await expectProblem(await api.get('/api/1/discussions/?cursor=forged'), 400);
  });

  it('refuses a discussion on a private or deleted dataset with a clear 4xx', async () => {
    const hidden = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Privé'), description: 'x', private: true },
      publisher.headers,
    );
    await expectProblem(await start(hidden.json.id), 400);
    const gone = await publicDataset();
    expect((await api.delete(`/api/1/datasets/${gone}/`, publisher.headers)).status).toBe(204);
    await expectProblem(await start(gone), 410);
  });

  it('refuses reports with an unknown reason or subject', async () => {
    const dataset = await publicDataset();
    for (const body of [
      { subject: { class: 'Dataset', id: dataset }, reason: 'boring' },
      { subject: { class: 'Dataset', id: dataset } },
      { subject: { class: 'Planet', id: dataset }, reason: 'spam' },
      { subject: { class: 'Dataset', id: 'ffffffffffffffffffffffff' }, reason: 'spam' },
      { subject: { class: 'DiscussionComment', id: 'x' }, reason: 'spam' },
      { subject: { class: 'Dataset', id: dataset }, reason: 'spam', message: 'm'.repeat(5_001) },
    ]) {
      await expectProblem(await api.post('/api/1/reports/', body, publisher.headers), 400);
    }
  });
});

describe('community routes with bad input', () => {
  it('refuses followed_by that is not a user id, or with a bad q or sort, on reuses and organizations', async () => {
    const user = publisher.id;
    for (const [path, field] of [
      ['/api/1/reuses/?followed_by=x', 'followed_by'],
      ['/api/1/reuses/?followed_by=a&followed_by=b', 'followed_by'],
      [`/api/1/reuses/?followed_by=${user}&q=${'a'.repeat(1001)}`, 'q'],
      [`/api/1/reuses/?followed_by=${user}&sort=nowhere`, 'sort'],
      ['/api/1/organizations/?followed_by=x', 'followed_by'],
      [`/api/1/organizations/?followed_by=${user}&sort=nowhere`, 'sort'],
    ] as const) {
      const problem = await expectProblem(await api.get(path), 400);
      expect(Object.keys(problem.errors), path).toContain(field);
    }
  });

  it('refuses a bad rotation of a webhook secret, and answers 404 for an unknown webhook', async () => {
    const hook = await api.post(
      '/api/1/webhooks/',
      { url: 'https://hooks.example.org/rotated', events: ['dataset.created'] },
      publisher.headers,
    );
    expect(hook.status, hook.text).toBe(201);
    const path = `/api/1/webhooks/${hook.json.id}/secret/`;
    for (const body of [
      { grace_seconds: '3600' },
      { grace_seconds: -5 },
      { grace_seconds: 604_801 },
      { old: true },
    ]) {
      const problem = await expectProblem(await api.post(path, body, publisher.headers), 400);
      expect(problem.errors, JSON.stringify(body)).toBeDefined();
    }
    await expectProblem(await api.post(path, '{"grace_seconds": ', publisher.headers), 400);
    await expectProblem(
      await api.post('/api/1/webhooks/0123456789abcdef01234567/secret/', {}, publisher.headers),
      404,
    );
    await expectProblem(await api.post('/api/1/webhooks/nope/secret/', {}, publisher.headers), 400);
  });

  it('refuses a discussion on a private or deleted reuse, and a public reuse without datasets', async () => {
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Réutilisé'), description: 'x' },
      publisher.headers,
    );
    const reuse = (fields: Record<string, unknown>) =>
      api.post(
        '/api/1/reuses/',
        {
          title: uniqueTitle('Carte'),
          description: 'x',
          type: 'api',
          topic: 'others',
          url: `https://apps.example.org/bad-input/${process.pid}/${Date.now().toString(36)}/${Math.random()}`,
          ...fields,
        },
        publisher.headers,
      );
    const withoutDatasets = await expectProblem(await reuse({}), 400);
    expect(withoutDatasets.errors).toHaveProperty('datasets');
    const hidden = await reuse({ private: true });
    expect(hidden.status, hidden.text).toBe(201);
    const published = await expectProblem(
      await api.put(`/api/1/reuses/${hidden.json.id}/`, { private: false }, publisher.headers),
      400,
    );
    expect(published.errors).toHaveProperty('datasets');
    const open = (id: string) =>
      api.post(
        '/api/1/discussions/',
        { title: 'Question', comment: 'x', subject: { class: 'Reuse', id } },
        publisher.headers,
      );
    expect((await expectProblem(await open(hidden.json.id), 400)).errors).toHaveProperty('subject');
    const gone = await reuse({ datasets: [dataset.json.id] });
    expect((await api.delete(`/api/1/reuses/${gone.json.id}/`, publisher.headers)).status).toBe(204);
    await expectProblem(await open(gone.json.id), 410);
  });
});

describe('contact points with bad input', () => {
  it('refuses malformed contact points and dataset references with field errors, writing nothing', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x'.repeat(256), email: 'a@example.org' }, 'name'],
      [{ name: 'Accueil', email: ['a@example.org'] }, 'email'],
      [{ name: 'Accueil', contact_form: 'ftp://example.org/form' }, 'contact_form'],
      [{ name: 'Accueil', email: 'a@example.org', organization: 42 }, 'organization'],
    ];
    for (const [body, field] of cases) {
      const problem = await expectProblem(await api.post('/api/1/contacts/', body, publisher.headers), 400);
      expect(Object.keys(problem.errors)).toContain(field);
    }
    await expectProblem(await api.get('/api/1/contacts/not-an-id/'), 400);
    await expectProblem(await api.get('/api/1/contacts/0123456789abcdef01234567/'), 404);
    const title = uniqueTitle('Contacts invalides');
    for (const contactPoints of ['one', [42], Array.from({ length: 11 }, (_, i) => `c${i}`), ['nope']]) {
      const problem = await expectProblem(
        await api.post(
          '/api/1/datasets/',
          { title, description: 'x', contact_points: contactPoints },
          publisher.headers,
        ),
        400,
      );
      expect(Object.keys(problem.errors).some((key) => key.startsWith('contact_points'))).toBe(true);
    }
    await expectNoDataset(title);
  });
});
