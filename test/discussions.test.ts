import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle, waitForEvent } from './client';
import { createDataset, createOrganization } from './fixtures';

type Response = Awaited<ReturnType<typeof api.request>>;

function expectProblem(response: Response, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json).toMatchObject({ status, message: expect.any(String) });
  return response.json;
}

function open(by: TestUser, dataset: { id: string }, fields: Record<string, unknown> = {}) {
  return api.post(
    '/api/1/discussions/',
    {
      title: 'Une question',
      comment: 'La colonne **code** est vide en 2023. Pouvez-vous vérifier ?',
      subject: { class: 'Dataset', id: dataset.id },
      ...fields,
    },
    by.headers,
  );
}

async function opened(by: TestUser, dataset: { id: string }, fields: Record<string, unknown> = {}) {
  const response = await open(by, dataset, fields);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; discussion: { id: string }[] };
}

const comment = (id: string, by: TestUser, body: Record<string, unknown>) =>
  api.post(`/api/1/discussions/${id}/`, body, by.headers);

let producer: TestUser;
let reuser: TestUser;
let stranger: TestUser;
let member: TestUser;
let sysadmin: TestUser;
let org: { id: string; slug: string };

beforeAll(async () => {
  [producer, reuser, stranger, member, sysadmin] = await Promise.all([
    newUser(),
    newUser(),
    newUser(),
    newUser(),
    newUser({ sysadmin: true }),
  ]);
  org = await createOrganization(producer);
  const added = await api.post(
    `/api/1/organizations/${org.id}/member/`,
    { user: member.id, role: 'editor' },
    producer.headers,
  );
  expect(added.status, added.text).toBe(201);
});

describe('a discussion between a reuser and a producer', () => {
  it('is opened by a reuser, read by anyone, answered and closed by the producer', async () => {
    const dataset = await createDataset(producer);
    const created = await open(reuser, dataset);
    expect(created.status, created.text).toBe(201);
    const discussion = created.json;
    expect(created.headers.get('location')).toBe(discussion.url);
    expect(discussion).toMatchObject({
      class: 'Discussion',
      subject: { class: 'Dataset', id: dataset.id },
      title: 'Une question',
      user: { class: 'User', id: reuser.id },
      organization: null,
      closed: null,
      closed_by: null,
      spam: { status: 'not_checked' },
      permissions: { edit: true, delete: true, close: true },
    });
    expect(discussion.created).toMatch(/\+00:00$/);
    expect(discussion.url).toMatch(new RegExp(`/api/1/discussions/${discussion.id}/$`));
    expect(discussion.permalink).toMatch(new RegExp(`/datasets/${dataset.id}/#discussion-${discussion.id}$`));
    const [first] = discussion.discussion;
    expect(first).toMatchObject({
      content: 'La colonne **code** est vide en 2023. Pouvez-vous vérifier ?',
      content_html: '<p>La colonne <strong>code</strong> est vide en 2023. Pouvez-vous vérifier ?</p>',
      posted_by: { id: reuser.id },
      posted_by_organization: null,
      last_modified_at: null,
      permissions: { edit: true, delete: false },
    });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.permalink).toBe(`${discussion.permalink}-${first.id}`);

    const event = await waitForEvent((candidate) => candidate.detail.subject.id === discussion.id);
    expect(event.detail).toMatchObject({
      type: 'discussion.created',
      actor: { kind: 'user', id: reuser.id },
      data: {
        about: { class: 'Dataset', id: dataset.id },
        owner: { class: 'User', id: producer.id },
        comment: first.id,
      },
    });

    const anonymous = await api.get(`/api/1/discussions/${discussion.id}/`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.json.permissions).toEqual({ edit: false, delete: false, close: false });
    const asProducer = await api.getWith(`/api/1/discussions/${discussion.id}/`, producer.headers);
    expect(asProducer.json.permissions).toEqual({ edit: false, delete: false, close: true });

    // Neither a comment nor a close: 400; a stranger may comment but not close.
    expectProblem(await comment(discussion.id, producer, {}), 400);
    expectProblem(await comment(discussion.id, stranger, { comment: 'Et moi ?', close: true }), 403);
    const strangerComment = await comment(discussion.id, stranger, { comment: 'Même constat.' });
    expect(strangerComment.status, strangerComment.text).toBe(200);
    expect(strangerComment.json.discussion).toHaveLength(2);

    const answered = await comment(discussion.id, producer, { comment: 'Corrigé, merci.', close: true });
    expect(answered.status, answered.text).toBe(200);
    expect(answered.json).toMatchObject({ closed_by: { id: producer.id }, closed_by_organization: null });
    expect(answered.json.closed).toMatch(/\+00:00$/);
    expect(answered.json.discussion).toHaveLength(3);
    const closing = answered.json.discussion[2];
    const closed = await waitForEvent(
      (candidate) =>
        candidate.detail.subject.id === discussion.id && candidate.detail.type === 'discussion.closed',
    );
    expect(closed.detail.data).toMatchObject({ comment: closing.id, owner: { id: producer.id } });
    const commented = await waitForEvent(
      (candidate) =>
        candidate.detail.type === 'discussion.commented' && candidate.detail.data.comment === closing.id,
    );
    expect(commented.detail.data).toMatchObject({ author: producer.id, about: { id: dataset.id } });

    // udata: a closed discussion takes no more comments.
    expectProblem(await comment(discussion.id, reuser, { comment: 'Encore une chose' }), 403);
  });

  it('is closed by its author without a comment, and refused to a stranger', async () => {
    const dataset = await createDataset(producer);
    const discussion = await opened(reuser, dataset);
    expectProblem(await comment(discussion.id, stranger, { close: true }), 403);
    const closed = await comment(discussion.id, reuser, { close: true });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.discussion).toHaveLength(1);
    expect(closed.json.closed_by.id).toBe(reuser.id);
    expect(closed.json.permissions.close).toBe(false);
  });

  it('is written for an organization by its members only, and closed by members of the owning one', async () => {
    const dataset = await createDataset(producer, { organization: org.id });
    const forOrg = await opened(member, dataset, { organization: org.id });
    const read = await api.get(`/api/1/discussions/${forOrg.id}/`);
    expect(read.json.organization).toMatchObject({ class: 'Organization', id: org.id });
    expect(read.json.discussion[0].posted_by_organization).toMatchObject({ id: org.id });
    const refused = expectProblem(await open(stranger, dataset, { organization: org.id }), 400);
    expect(refused.errors.organization).toBeDefined();
    // The organization's member closes a stranger's discussion on the organization's dataset.
    const question = await opened(stranger, dataset);
    const asMember = await api.getWith(`/api/1/discussions/${question.id}/`, member.headers);
    expect(asMember.json.permissions).toEqual({ edit: false, delete: false, close: true });
    const closed = await comment(question.id, member, {
      comment: 'Réponse officielle',
      close: true,
      organization: org.id,
    });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.closed_by_organization).toMatchObject({ id: org.id });
    expect(closed.json.discussion[1].posted_by_organization).toMatchObject({ id: org.id });
  });
});

describe('comments', () => {
  it('are edited by their author, by index or id, and deleted except the first', async () => {
    const dataset = await createDataset(producer);
    const discussion = await opened(reuser, dataset);
    const second = (await comment(discussion.id, reuser, { comment: 'Deuxième' })).json.discussion[1];
    const third = (await comment(discussion.id, stranger, { comment: 'Troisième' })).json.discussion[2];

    const byIndex = await api.put(
      `/api/1/discussions/${discussion.id}/comments/1/`,
      { comment: 'Deuxième, corrigé' },
      reuser.headers,
    );
    expect(byIndex.status, byIndex.text).toBe(200);
    expect(byIndex.json.discussion[1]).toMatchObject({ id: second.id, content: 'Deuxième, corrigé' });
    expect(byIndex.json.discussion[1].last_modified_at).toMatch(/\+00:00$/);
    const byId = await api.put(
      `/api/1/discussions/${discussion.id}/comments/${second.id}/`,
      { comment: 'Par id' },
      reuser.headers,
    );
    expect(byId.json.discussion[1].content).toBe('Par id');
    expectProblem(
      await api.put(
        `/api/1/discussions/${discussion.id}/comments/2/`,
        { comment: 'Pas à moi' },
        reuser.headers,
      ),
      403,
    );
    expectProblem(
      await api.put(`/api/1/discussions/${discussion.id}/comments/9/`, { comment: 'x' }, reuser.headers),
      404,
    );
    expectProblem(
      await api.put(`/api/1/discussions/${discussion.id}/comments/1/`, { comment: '' }, reuser.headers),
      400,
    );

    expectProblem(await api.delete(`/api/1/discussions/${discussion.id}/comments/0/`, reuser.headers), 400);
    expectProblem(
      await api.delete(`/api/1/discussions/${discussion.id}/comments/${third.id}/`, reuser.headers),
      403,
    );
    expect(
      (await api.delete(`/api/1/discussions/${discussion.id}/comments/${third.id}/`, sysadmin.headers))
        .status,
    ).toBe(204);
    expect((await api.delete(`/api/1/discussions/${discussion.id}/comments/1/`, reuser.headers)).status).toBe(
      204,
    );
    const after = await api.get(`/api/1/discussions/${discussion.id}/`);
    expect(after.json.discussion.map((c: { id: string }) => c.id)).toEqual([discussion.discussion[0]?.id]);
    await waitForEvent(
      (candidate) =>
        candidate.detail.type === 'discussion.comment.deleted' && candidate.detail.data.comment === third.id,
    );
  });

  it('are Markdown of at most 50,000 characters, rendered without the author’s markup', async () => {
    const dataset = await createDataset(producer);
    const discussion = await opened(reuser, dataset);
    const longest = await comment(discussion.id, reuser, { comment: `${'a'.repeat(49_999)}.` });
    expect(longest.status, longest.text).toBe(200);
    const tooLong = expectProblem(await comment(discussion.id, reuser, { comment: 'a'.repeat(50_001) }), 400);
    expect(tooLong.errors.comment).toBeDefined();
    expectProblem(await open(reuser, dataset, { comment: 'b'.repeat(50_001) }), 400);

    const hostile = await comment(discussion.id, reuser, {
      comment:
        'Voir <script>alert(1)</script> <img src=x onerror=alert(1)> [ici](javascript:alert(1)) et [là](https://example.org/)',
    });
    expect(hostile.status, hostile.text).toBe(200);
    const html: string = hostile.json.discussion.at(-1).content_html;
    expect(html).not.toMatch(/<script|<img|onerror=|href="javascript:/i);
    expect(html).toContain('<a href="https://example.org/" rel="nofollow ugc noopener">là</a>');
  });
});

describe('the author', () => {
  it('changes the title and deletes the discussion; others may not', async () => {
    const dataset = await createDataset(producer);
    const discussion = await opened(reuser, dataset);
    expectProblem(
      await api.put(`/api/1/discussions/${discussion.id}/`, { title: 'Autre' }, producer.headers),
      403,
    );
    const renamed = await api.put(
      `/api/1/discussions/${discussion.id}/`,
      { title: 'Nouveau titre' },
      reuser.headers,
    );
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.title).toBe('Nouveau titre');
    expectProblem(await api.put(`/api/1/discussions/${discussion.id}/`, {}, reuser.headers), 400);
    expectProblem(await api.delete(`/api/1/discussions/${discussion.id}/`, producer.headers), 403);
    expectProblem(await api.delete(`/api/1/discussions/${discussion.id}/`), 401);
    expect((await api.delete(`/api/1/discussions/${discussion.id}/`, reuser.headers)).status).toBe(204);
    expectProblem(await api.get(`/api/1/discussions/${discussion.id}/`), 404);
    await waitForEvent(
      (candidate) =>
        candidate.detail.type === 'discussion.deleted' && candidate.detail.subject.id === discussion.id,
    );
  });
});

describe('opening a discussion', () => {
  it('answers a clear 4xx on a private, deleted or unknown dataset, or bad fields', async () => {
    const privateDataset = await createDataset(producer, { private: true });
    const refused = expectProblem(await open(reuser, privateDataset), 400);
    expect(refused.errors.subject).toBeDefined();
    expectProblem(await open(producer, privateDataset), 400);
    const deleted = await createDataset(producer);
    expect((await api.delete(`/api/1/datasets/${deleted.id}/`, producer.headers)).status).toBe(204);
    expectProblem(await open(reuser, deleted), 410);
    expectProblem(await open(reuser, { id: 'ffffffffffffffffffffffff' }), 400);
    const missing = expectProblem(
      await api.post(
        '/api/1/discussions/',
        { subject: { class: 'Dataset', id: privateDataset.id } },
        reuser.headers,
      ),
      400,
    );
    expect(Object.keys(missing.errors)).toEqual(expect.arrayContaining(['title', 'comment']));
    expectProblem(
      await api.post(
        '/api/1/discussions/',
        { title: 't', comment: 'c', subject: { class: 'Post', id: 'x' } },
        reuser.headers,
      ),
      400,
    );
    expectProblem(await open({ ...reuser, headers: {} }, privateDataset), 401);
    const unconfirmed = await newUser({ confirmed: false });
    expectProblem(await open(unconfirmed, await createDataset(producer)), 403);
  });
});

describe('listings and counters', () => {
  it('filter by subject, organization, author and state, and keep exact totals and metrics', async () => {
    const dataset = await createDataset(producer, { organization: org.id });
    const other = await createDataset(producer);
    const a = await opened(reuser, dataset);
    const b = await opened(stranger, dataset);
    const c = await opened(reuser, other);
    await comment(b.id, member, { close: true });
    await drained();

    const forDataset = await api.get(`/api/1/discussions/?for=${dataset.id}`);
    expect(forDataset.status, forDataset.text).toBe(200);
    expect(forDataset.json.data.map((d: { id: string }) => d.id)).toEqual([b.id, a.id]);
    expect(forDataset.json.total).toBe(2);
    const open_ = await api.get(`/api/1/discussions/?for=${dataset.id}&closed=false`);
    expect(open_.json.data.map((d: { id: string }) => d.id)).toEqual([a.id]);
    expect(open_.json.total).toBe(1);
    const closed = await api.get(`/api/1/discussions/?for=${dataset.id}&closed=true`);
    expect(closed.json.data.map((d: { id: string }) => d.id)).toEqual([b.id]);
    expect(closed.json.total).toBe(1);
    const oldest = await api.get(`/api/1/discussions/?for=${dataset.id}&sort=created`);
    expect(oldest.json.data.map((d: { id: string }) => d.id)).toEqual([a.id, b.id]);
    const byUser = await api.get(`/api/1/discussions/?user=${reuser.id}&for=${other.id}`);
    expect(byUser.json.data.map((d: { id: string }) => d.id)).toEqual([c.id]);
    const byOrg = await api.get(`/api/1/discussions/?org=${org.id}`);
    expect(byOrg.json.data.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(byOrg.json.data.map((d: { id: string }) => d.id)).not.toContain(c.id);
    const orgRoute = await api.get(`/api/1/organizations/${org.slug}/discussions/?page_size=1`);
    expect(orgRoute.status, orgRoute.text).toBe(200);
    expect(orgRoute.json.data).toHaveLength(1);
    expect(orgRoute.json.total).toBe(byOrg.json.total);
    expect(orgRoute.json.next_page).toContain('cursor=');
    const next = await api.get(
      new URL(orgRoute.json.next_page).pathname + new URL(orgRoute.json.next_page).search,
    );
    expect(next.json.data[0].id).not.toBe(orgRoute.json.data[0].id);
    expect((await api.get('/api/1/discussions/')).json.total).toBeGreaterThanOrEqual(3);
    expectProblem(await api.get('/api/1/discussions/?sort=title'), 400);
    expectProblem(await api.get('/api/1/discussions/?closed=maybe'), 400);
    expectProblem(await api.get('/api/1/organizations/unknown-organisation-x/discussions/'), 404);

    const metrics = (await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics;
    expect(metrics).toMatchObject({ discussions: 2, discussions_open: 1 });
    // List pages show the same metrics as the dataset itself.
    const listed = await api.get(`/api/1/datasets/?organization=${org.id}&page_size=100`);
    const inList = listed.json.data.find((item: { id: string }) => item.id === dataset.id);
    expect(inList.metrics).toMatchObject({ discussions: 2, discussions_open: 1 });
    expect((await api.delete(`/api/1/discussions/${a.id}/`, reuser.headers)).status).toBe(204);
    await drained();
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics).toMatchObject({
      discussions: 1,
      discussions_open: 0,
    });
    expect((await api.get(`/api/1/discussions/?for=${dataset.id}`)).json.total).toBe(1);
  });

  it('stay exact when many people comment and open discussions at once', async () => {
    const dataset = await createDataset(producer);
    const discussion = await opened(reuser, dataset);
    const people = [reuser, stranger, member, producer];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        comment(discussion.id, people[n % 4] as TestUser, { comment: `Réponse ${n}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect((await api.get(`/api/1/discussions/${discussion.id}/`)).json.discussion).toHaveLength(13);
    await Promise.all(Array.from({ length: 6 }, () => opened(stranger, dataset)));
    await drained();
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics).toMatchObject({
      discussions: 7,
      discussions_open: 7,
    });
  });
});

describe('the spam rule and reports', () => {
  it('holds a links-only comment for moderation until a sysadmin publishes it', async () => {
    const dataset = await createDataset(producer);
    const discussion = await opened(reuser, dataset);
    const held = await comment(discussion.id, stranger, { comment: 'https://spam.example/buy-now' });
    expect(held.status, held.text).toBe(200);
    const mine = held.json.discussion.at(-1);
    expect(mine.spam).toEqual({ status: 'potential_spam' });
    expect((await api.get(`/api/1/discussions/${discussion.id}/`)).json.discussion).toHaveLength(1);
    const asModerator = await api.getWith(`/api/1/discussions/${discussion.id}/`, sysadmin.headers);
    expect(asModerator.json.discussion).toHaveLength(2);

    const reports = await api.getWith('/api/1/reports/?page_size=100', sysadmin.headers);
    expect(reports.status, reports.text).toBe(200);
    expect(reports.json.data).toContainEqual(
      expect.objectContaining({
        subject: { class: 'DiscussionComment', id: mine.id, discussion: discussion.id },
        reason: 'spam',
        auto_spam: 'links-only',
        by: null,
      }),
    );
    expectProblem(
      await api.delete(`/api/1/discussions/${discussion.id}/comments/1/spam/`, producer.headers),
      403,
    );
    const published = await api.delete(
      `/api/1/discussions/${discussion.id}/comments/${mine.id}/spam/`,
      sysadmin.headers,
    );
    expect(published.status, published.text).toBe(200);
    expect((await api.get(`/api/1/discussions/${discussion.id}/`)).json.discussion).toHaveLength(2);
    await waitForEvent(
      (candidate) =>
        candidate.detail.type === 'discussion.commented' && candidate.detail.data.comment === mine.id,
    );
  });

  it('holds a whole discussion using a banned word: unseen, unlisted and uncounted until published', async () => {
    const dataset = await createDataset(producer);
    const discussion = await opened(stranger, dataset, { title: 'Le meilleur Casino en ligne' });
    expectProblem(await api.get(`/api/1/discussions/${discussion.id}/`), 404);
    expect((await api.getWith(`/api/1/discussions/${discussion.id}/`, stranger.headers)).json.spam).toEqual({
      status: 'potential_spam',
    });
    await drained();
    expect((await api.get(`/api/1/discussions/?for=${dataset.id}`)).json.data).toEqual([]);
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics.discussions).toBe(0);
    expect((await api.delete(`/api/1/discussions/${discussion.id}/spam/`, sysadmin.headers)).status).toBe(
      200,
    );
    await drained();
    expect((await api.get(`/api/1/discussions/?for=${dataset.id}`)).json.total).toBe(1);
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics.discussions).toBe(1);

    const refused = await opened(stranger, dataset, { comment: 'pilulesmiracle pas chères' });
    expect((await api.delete(`/api/1/discussions/${refused.id}/`, sysadmin.headers)).status).toBe(204);
    expectProblem(await api.getWith(`/api/1/discussions/${refused.id}/`, stranger.headers), 404);
  });

  it('takes reports with udata’s reasons, which sysadmins list and dismiss', async () => {
    const reasons = await api.get('/api/1/reports/reasons/');
    expect(Object.keys(reasons.json).sort()).toEqual(
      ['explicit_content', 'illegal_content', 'others', 'personal_data', 'security', 'spam'].sort(),
    );
    const dataset = await createDataset(producer);
    const discussion = await opened(reuser, dataset);
    const report = await api.post(
      '/api/1/reports/',
      {
        subject: { class: 'Discussion', id: discussion.id },
        reason: 'personal_data',
        message: 'Un numéro de téléphone.',
      },
      stranger.headers,
    );
    expect(report.status, report.text).toBe(201);
    expect(report.json).toMatchObject({
      reason: 'personal_data',
      by: { id: stranger.id },
      dismissed_at: null,
    });
    const onDataset = await api.post(
      '/api/1/reports/',
      { subject: { class: 'Dataset', id: dataset.id }, reason: 'illegal_content' },
      stranger.headers,
    );
    expect(onDataset.status, onDataset.text).toBe(201);
    const onComment = await api.post(
      '/api/1/reports/',
      {
        subject: { class: 'DiscussionComment', id: discussion.discussion[0]?.id, discussion: discussion.id },
        reason: 'spam',
      },
      stranger.headers,
    );
    expect(onComment.status, onComment.text).toBe(201);
    expectProblem(
      await api.post(
        '/api/1/reports/',
        { subject: { class: 'Discussion', id: discussion.id }, reason: 'boring' },
        stranger.headers,
      ),
      400,
    );
    expectProblem(
      await api.post(
        '/api/1/reports/',
        { subject: { class: 'Discussion', id: 'ffffffffffffffffffffffff' }, reason: 'spam' },
        stranger.headers,
      ),
      400,
    );
    expectProblem(
      await api.post('/api/1/reports/', {
        subject: { class: 'Discussion', id: discussion.id },
        reason: 'spam',
      }),
      401,
    );
    await waitForEvent(
      (candidate) =>
        candidate.detail.type === 'report.created' && candidate.detail.subject.id === report.json.id,
    );

    expectProblem(await api.getWith('/api/1/reports/', stranger.headers), 403);
    expectProblem(await api.getWith(`/api/1/reports/${report.json.id}/`, stranger.headers), 403);
    expectProblem(
      await api.request('PATCH', `/api/1/reports/${report.json.id}/`, { dismissed: true }, stranger.headers),
      403,
    );
    const dismissed = await api.request(
      'PATCH',
      `/api/1/reports/${report.json.id}/`,
      { dismissed: true },
      sysadmin.headers,
    );
    expect(dismissed.status, dismissed.text).toBe(200);
    expect(dismissed.json).toMatchObject({ dismissed_by: { id: sysadmin.id } });
    expect(dismissed.json.dismissed_at).toMatch(/\+00:00$/);
    expect((await api.getWith(`/api/1/reports/${report.json.id}/`, sysadmin.headers)).json.dismissed_at).toBe(
      dismissed.json.dismissed_at,
    );
    expectProblem(await api.getWith('/api/1/reports/ffffffffffffffffffffffff/', sysadmin.headers), 404);
  });
});

describe('discussions on reuses', () => {
  let reuseCount = 0;
  async function createReuse(by: TestUser, fields: Record<string, unknown> = {}) {
    const dataset = await createDataset(producer);
    const response = await api.post(
      '/api/1/reuses/',
      {
        title: uniqueTitle('Carte'),
        description: 'Une carte des données.',
        type: 'visualization',
        topic: 'transport_and_mobility',
        url: `https://apps.example.org/discussed/${process.pid}/${Date.now().toString(36)}/${++reuseCount}`,
        datasets: [dataset.id],
        ...fields,
      },
      by.headers,
    );
    expect(response.status, response.text).toBe(201);
    return response.json as { id: string; slug: string };
  }

  const openOnReuse = (by: TestUser, reuse: { id: string }) =>
    api.post(
      '/api/1/discussions/',
      {
        title: 'Une remarque',
        comment: 'La carte ne montre pas 2024.',
        subject: { class: 'Reuse', id: reuse.id },
      },
      by.headers,
    );

  /** Polls the reuse until its metrics say `expected` (the counters consumer folds them from the stream). */
  async function metricsOf(reuse: { id: string }, expected: Record<string, number>) {
    const deadline = Date.now() + 15_000;
    let last: unknown;
    while (Date.now() < deadline) {
      const response = await api.get(`/api/1/reuses/${reuse.id}/`);
      last = response.json.metrics;
      if (Object.entries(expected).every(([key, value]) => response.json.metrics[key] === value)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(last).toMatchObject(expected);
  }

  it('are opened by anyone confirmed, closed by the reuse’s owner and counted in its metrics', async () => {
    const org = await createOrganization(producer);
    const reuse = await createReuse(producer, { organization: org.id });
    const created = await openOnReuse(reuser, reuse);
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ subject: { class: 'Reuse', id: reuse.id } });
    const listed = await api.get(`/api/1/discussions/?for=${reuse.id}`);
    expect(listed.json.data.map((d: { id: string }) => d.id)).toEqual([created.json.id]);
    const ofOrganization = await api.get(`/api/1/organizations/${org.id}/discussions/`);
    expect(ofOrganization.json.data.map((d: { id: string }) => d.id)).toContain(created.json.id);
    await metricsOf(reuse, { discussions: 1 });

    expectProblem(await comment(created.json.id, stranger, { close: true }), 403);
    const closed = await comment(created.json.id, producer, { comment: 'Corrigé.', close: true });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.closed_by.id).toBe(producer.id);
    const closedOnes = await api.get(`/api/1/discussions/?for=${reuse.id}&closed=true`);
    expect(closedOnes.json.data.map((d: { id: string }) => d.id)).toEqual([created.json.id]);
  });

  it('answer a clear 4xx on a private, deleted or unknown reuse', async () => {
    const privateReuse = await createReuse(producer, { private: true });
    const refused = expectProblem(await openOnReuse(reuser, privateReuse), 400);
    expect(refused.errors.subject).toBeDefined();
    expectProblem(await openOnReuse(producer, privateReuse), 400);
    const deleted = await createReuse(producer);
    expect((await api.delete(`/api/1/reuses/${deleted.id}/`, producer.headers)).status).toBe(204);
    expectProblem(await openOnReuse(reuser, deleted), 410);
    expect(
      expectProblem(await openOnReuse(reuser, { id: 'ffffffffffffffffffffffff' }), 400).errors.subject,
    ).toBeDefined();
  });

  it('take reports of reuses', async () => {
    const reuse = await createReuse(producer);
    const report = await api.post(
      '/api/1/reports/',
      { subject: { class: 'Reuse', id: reuse.id }, reason: 'explicit_content' },
      stranger.headers,
    );
    expect(report.status, report.text).toBe(201);
    expect(report.json.subject).toMatchObject({ class: 'Reuse', id: reuse.id });
    const privateReuse = await createReuse(producer, { private: true });
    for (const id of [privateReuse.id, 'ffffffffffffffffffffffff']) {
      const refused = await api.post(
        '/api/1/reports/',
        { subject: { class: 'Reuse', id }, reason: 'spam' },
        stranger.headers,
      );
      expect(expectProblem(refused, 400).errors.subject).toBeDefined();
    }
  });
});
