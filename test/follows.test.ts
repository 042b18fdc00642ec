import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle, waitForEvent } from './client';
import { createDataset, createOrganization, createReuse, eventually } from './fixtures';

type Response = Awaited<ReturnType<typeof api.request>>;

function expectProblem(response: Response, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return response.json;
}

/** Every follower listed, page after page (following `next_page`). */
async function allFollowers(path: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | null = `${path}?page_size=100`;
  while (next) {
    const response: Response = await api.get(next.replace(/^https?:\/\/[^/]+/, ''));
    expect(response.status, response.text).toBe(200);
    ids.push(...response.json.data.map((follow: { follower: { id: string } }) => follow.follower.id));
    next = response.json.next_page;
  }
  return ids;
}

let producer: TestUser;
let reuser: TestUser;
let other: TestUser;

beforeAll(async () => {
  [producer, reuser, other] = await Promise.all([newUser(), newUser(), newUser()]);
});

describe('following as udata', () => {
  it('answers 201 then 200 with the number of followers, lists them and unfollows', async () => {
    const dataset = await createDataset(producer);
    const path = `/api/1/datasets/${dataset.id}/followers/`;
    const first = await api.post(path, undefined, reuser.headers);
    expect(first.status, first.text).toBe(201);
    expect(first.json).toEqual({ followers: 1 });
    expect((await api.post(path, undefined, reuser.headers)).json).toEqual({ followers: 1 });
    expect((await api.post(path, undefined, reuser.headers)).status).toBe(200);
    expect(
      (await api.post(`/api/1/datasets/${dataset.slug}/followers/`, undefined, other.headers)).json,
    ).toEqual({
      followers: 2,
    });
    const event = await waitForEvent(
      (candidate) =>
        candidate.detail.type === 'follow.created' &&
        (candidate.detail.data.following as { id: string }).id === dataset.id,
    );
    expect(event.detail.data.following).toEqual({ class: 'Dataset', id: dataset.id });

    await drained();
    const listed = await api.get(path);
    expect(listed.json.total).toBe(2);
    expect(listed.json.data.map((follow: { follower: { id: string } }) => follow.follower.id)).toEqual([
      reuser.id,
      other.id,
    ]);
    expect(listed.json.data[0]).toMatchObject({
      id: expect.any(String),
      follower: { class: 'User', id: reuser.id },
    });
    expect(listed.json.data[0].since).toMatch(/\+00:00$/);
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics.followers).toBe(2);

    const mine = await api.getWith('/api/1/me/following/?type=dataset', reuser.headers);
    expect(mine.json.data[0].following).toMatchObject({ class: 'Dataset', id: dataset.id });

    const left = await api.delete(path, reuser.headers);
    expect(left.status, left.text).toBe(200);
    expect(left.json).toEqual({ followers: 1 });
    expectProblem(await api.delete(path, reuser.headers), 404);
    await drained();
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics.followers).toBe(1);
  });

  it('follows reuses, organizations and users, and refuses to follow oneself', async () => {
    const dataset = await createDataset(producer);
    const reuse = (
      await api.post(
        '/api/1/reuses/',
        {
          title: uniqueTitle('Appli'),
          description: 'x',
          type: 'application',
          topic: 'others',
          url: `https://apps.example.org/follow/${Date.now()}`,
          datasets: [dataset.id],
        },
        producer.headers,
      )
    ).json;
    const org = (
      await api.post(
        '/api/1/organizations/',
        { name: uniqueTitle('Org'), description: 'x' },
        producer.headers,
      )
    ).json;
    expect((await api.post(`/api/1/reuses/${reuse.id}/followers/`, undefined, reuser.headers)).status).toBe(
      201,
    );
    expect(
      (await api.post(`/api/1/organizations/${org.id}/followers/`, undefined, reuser.headers)).status,
    ).toBe(201);
    expect((await api.post(`/api/1/users/${producer.id}/followers/`, undefined, reuser.headers)).status).toBe(
      201,
    );
    const self = expectProblem(
      await api.post(`/api/1/users/${reuser.id}/followers/`, undefined, reuser.headers),
      403,
    );
    expect(self.message).toMatch(/yourself/);
    expectProblem(await api.post(`/api/1/reuses/${reuse.id}/followers/`, undefined, {}), 401);
    expectProblem(
      await api.post('/api/1/datasets/0123456789abcdef01234567/followers/', undefined, reuser.headers),
      404,
    );
    await drained();
    expect((await api.get(`/api/1/reuses/${reuse.id}/`)).json.metrics.followers).toBe(1);
    expect((await api.get(`/api/1/organizations/${org.id}/`)).json.metrics.followers).toBe(1);
    const profile = (await api.get(`/api/1/users/${producer.id}/`)).json;
    expect(profile.metrics.followers).toBe(1);
    expect((await api.get(`/api/1/users/${reuser.id}/`)).json.metrics.following).toBeGreaterThanOrEqual(3);
    const following = await api.getWith('/api/1/me/following/', reuser.headers);
    expect(
      following.json.data
        .slice(0, 3)
        .map((follow: { following: { class: string } }) => follow.following.class),
    ).toEqual(['User', 'Organization', 'Reuse']);
    expectProblem(await api.getWith('/api/1/me/following/?type=planet', reuser.headers), 400);
  });

  it('hides the followers of a private dataset from whoever may not see it, and a deleted one is gone', async () => {
    const draft = await createDataset(producer, { private: true });
    expectProblem(await api.post(`/api/1/datasets/${draft.id}/followers/`, undefined, reuser.headers), 404);
    expectProblem(await api.get(`/api/1/datasets/${draft.id}/followers/`), 404);
    expect((await api.getWith(`/api/1/datasets/${draft.id}/followers/`, producer.headers)).status).toBe(200);
    const gone = await createDataset(producer);
    await api.delete(`/api/1/datasets/${gone.id}/`, producer.headers);
    expectProblem(await api.post(`/api/1/datasets/${gone.id}/followers/`, undefined, reuser.headers), 410);
  });
});

describe('counts under races', () => {
  it('two users following the same dataset at the same moment: both counted', async () => {
    const dataset = await createDataset(producer);
    const path = `/api/1/datasets/${dataset.id}/followers/`;
    const answers = await Promise.all([reuser, other].map((user) => api.post(path, undefined, user.headers)));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    await drained();
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.metrics.followers).toBe(2);
    expect((await api.get(path)).json.total).toBe(2);
  });

  it('1,000 follows and unfollows racing on one dataset: the count equals the followers listed', async () => {
    const dataset = await createDataset(producer);
    const path = `/api/1/datasets/${dataset.id}/followers/`;
    const users = await Promise.all(Array.from({ length: 10 }, () => newUser()));
    // 1,000 requests from 10 users, 40 in flight at once: each user follows and unfollows over and over.
    const operations = Array.from({ length: 1000 }, (_, index) => ({
      user: users[index % users.length]!,
      follow: Math.floor(index / users.length) % 2 === 0 || index % 7 === 0,
    }));
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        while (next < operations.length) {
          const { user, follow } = operations[next++]!;
          const response = follow
            ? await api.post(path, undefined, user.headers)
            : await api.delete(path, user.headers);
          statuses.push(response.status);
        }
      }),
    );
    expect(statuses).toHaveLength(1000);
    expect(statuses.every((status) => [200, 201, 404].includes(status))).toBe(true);
    await drained();
    const listed = await allFollowers(path);
    expect(new Set(listed).size).toBe(listed.length);
    const dataset2 = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(dataset2.metrics.followers).toBe(listed.length);
    expect((await api.get(path)).json.total).toBe(listed.length);
    // And what one more follow answers is exact at once.
    const last = await api.post(path, undefined, producer.headers);
    expect(last.json).toEqual({ followers: listed.length + 1 });
  }, 240_000);
});

describe('followed_by', () => {
  it('lists the datasets, reuses and organizations a user follows, most recently followed first', async () => {
    const [follower, someoneElse] = await Promise.all([newUser(), newUser()]);
    const [first, second, hidden] = await Promise.all([
      createDataset(producer),
      createDataset(producer),
      createDataset(producer),
    ]);
    const organization = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Suivie'), description: 'Described.' },
      producer.headers,
    );
    const reuse = await api.post(
      '/api/1/reuses/',
      {
        title: uniqueTitle('Carte suivie'),
        description: 'Une carte.',
        type: 'visualization',
        topic: 'others',
        url: `https://apps.example.org/followed/${process.pid}/${Date.now().toString(36)}`,
        datasets: [first.id],
      },
      producer.headers,
    );
    expect(reuse.status, reuse.text).toBe(201);
    for (const path of [
      `/api/1/datasets/${first.id}/followers/`,
      `/api/1/datasets/${hidden.id}/followers/`,
      `/api/1/datasets/${second.id}/followers/`,
      `/api/1/reuses/${reuse.json.id}/followers/`,
      `/api/1/organizations/${organization.json.id}/followers/`,
    ]) {
      const followed = await api.post(path, undefined, follower.headers);
      expect(followed.status, followed.text).toBe(201);
    }
    const madePrivate = await api.put(`/api/1/datasets/${hidden.id}/`, { private: true }, producer.headers);
    expect(madePrivate.status, madePrivate.text).toBe(200);
    // A dataset someone else follows is not in this user's list.
    await api.post(
      `/api/1/datasets/${(await createDataset(producer)).id}/followers/`,
      undefined,
      someoneElse.headers,
    );

    const ids = (response: Response) => response.json.data.map((item: { id: string }) => item.id);
    const datasets = await api.get(`/api/1/datasets/?followed_by=${follower.id}`);
    expect(datasets.status, datasets.text).toBe(200);
    expect(ids(datasets)).toEqual([second.id, first.id]);
    const reuses = await api.get(`/api/1/reuses/?followed_by=${follower.id}`);
    expect(reuses.status, reuses.text).toBe(200);
    expect(ids(reuses)).toEqual([reuse.json.id]);
    const organizations = await api.get(`/api/1/organizations/?followed_by=${follower.id}`);
    expect(organizations.status, organizations.text).toBe(200);
    expect(ids(organizations)).toEqual([organization.json.id]);
    const paged = await api.get(`/api/1/datasets/?followed_by=${follower.id}&page_size=1`);
    expect(ids(paged)).toEqual([second.id]);
    expect(paged.json.next_page).toEqual(expect.any(String));

    expect((await api.get(`/api/1/datasets/?followed_by=${someoneElse.id}`)).json.data).toHaveLength(1);
    expect((await api.get(`/api/1/reuses/?followed_by=${producer.id}`)).json.data).toEqual([]);
  });

  it('combines followed_by with the other filters and sorts, with an exact total and working pages', async () => {
    const follower = await newUser();
    const organization = await createOrganization(producer, { name: uniqueTitle('Suivie') });
    const [oldest, tagged, taggedOfOrganization, privateOne] = [
      await createDataset(producer, { tags: ['velo'], license: 'lov2' }),
      await createDataset(producer, { tags: ['velo', 'gare'] }),
      await createDataset(producer, { tags: ['velo'], organization: organization.id }),
      await createDataset(producer, { tags: ['velo'], private: true }),
    ];
    const otherTag = await createDataset(producer, { tags: ['bus'] });
    for (const dataset of [oldest, tagged, taggedOfOrganization, otherTag]) {
      const followed = await api.post(
        `/api/1/datasets/${dataset.id}/followers/`,
        undefined,
        follower.headers,
      );
      expect(followed.status, followed.text).toBe(201);
    }
    expect(privateOne.id).toBeDefined();
    const ids = (response: Response) => response.json.data.map((item: { id: string }) => item.id);
    const base = `/api/1/datasets/?followed_by=${follower.id}`;

    const velo = await api.get(`${base}&tag=velo`);
    expect(velo.status, velo.text).toBe(200);
    expect(ids(velo)).toEqual([taggedOfOrganization.id, tagged.id, oldest.id]);
    expect(velo.json.total).toBe(3);
    const both = await api.get(`${base}&tag=velo&tag=gare`);
    expect([ids(both), both.json.total]).toEqual([[tagged.id], 1]);
    const ofOrganization = await api.get(`${base}&tag=velo&organization=${organization.id}`);
    expect([ids(ofOrganization), ofOrganization.json.total]).toEqual([[taggedOfOrganization.id], 1]);
    const licensed = await api.get(`${base}&license=lov2`);
    expect([ids(licensed), licensed.json.total]).toEqual([[oldest.id], 1]);

    const sorted = await api.get(`${base}&tag=velo&sort=created&page_size=2`);
    expect([ids(sorted), sorted.json.total]).toEqual([[oldest.id, tagged.id], 3]);
    const next = (await fetch(sorted.json.next_page).then((answer) => answer.json())) as {
      data: { id: string }[];
      total: number;
      next_page: string | null;
    };
    expect([next.data.map((item) => item.id), next.total]).toEqual([[taggedOfOrganization.id], 3]);
    expect(next.next_page).toBeNull();

    const reuse = await createReuse(producer, [tagged.id], { tags: ['carte'] });
    const otherReuse = await createReuse(producer, [oldest.id]);
    for (const id of [reuse.id, otherReuse.id]) {
      expect((await api.post(`/api/1/reuses/${id}/followers/`, undefined, follower.headers)).status).toBe(
        201,
      );
    }
    const reusesOfTagged = await api.get(`/api/1/reuses/?followed_by=${follower.id}&dataset=${tagged.id}`);
    expect([ids(reusesOfTagged), reusesOfTagged.json.total]).toEqual([[reuse.id], 1]);
    const reusesTagged = await api.get(`/api/1/reuses/?followed_by=${follower.id}&tag=carte`);
    expect([ids(reusesTagged), reusesTagged.json.total]).toEqual([[reuse.id], 1]);

    expect(
      (await api.post(`/api/1/organizations/${organization.id}/followers/`, undefined, follower.headers))
        .status,
    ).toBe(201);
    const badged = await api.get(`/api/1/organizations/?followed_by=${follower.id}&badge=certified`);
    expect([ids(badged), badged.json.total]).toEqual([[], 0]);
  });

  it('searches words within what a user follows (followed_by with q or the index’s filters), with an exact total', async () => {
    const follower = await newUser();
    const word = `Vigie${Date.now().toString(36)}`;
    const [followedA, followedB, hiddenLater, notFollowed, otherWords] = await Promise.all([
      createDataset(producer, { title: `Stations ${word} du nord` }),
      createDataset(producer, { title: `Stations ${word} du sud` }),
      createDataset(producer, { title: `Stations ${word} masquées` }),
      createDataset(producer, { title: `Stations ${word} de l’est` }),
      createDataset(producer, { title: uniqueTitle('Sans le mot') }),
    ]);
    for (const dataset of [followedA, followedB, hiddenLater, otherWords]) {
      const followed = await api.post(
        `/api/1/datasets/${dataset.id}/followers/`,
        undefined,
        follower.headers,
      );
      expect(followed.status, followed.text).toBe(201);
    }
    expect(notFollowed.id).toBeDefined();
    const madePrivate = await api.put(
      `/api/1/datasets/${hiddenLater.id}/`,
      { private: true },
      producer.headers,
    );
    expect(madePrivate.status, madePrivate.text).toBe(200);
    await drained();
    const ids = (response: Response) => response.json.data.map((item: { id: string }) => item.id).sort();
    const base = `/api/1/datasets/?followed_by=${follower.id}&q=${word}`;

    const found = await api.get(base);
    expect(found.status, found.text).toBe(200);
    expect([ids(found), found.json.total]).toEqual([[followedA.id, followedB.id].sort(), 2]);
    const narrowed = await api.get(`${base}%20sud`);
    expect([ids(narrowed), narrowed.json.total]).toEqual([[followedB.id], 1]);
    const paged = await api.get(`${base}&page_size=1`);
    expect([paged.json.data.length, paged.json.total]).toEqual([1, 2]);
    expect(paged.json.next_page).toEqual(expect.any(String));
    // With a filter only the index serves, and no words.
    const unfeatured = await api.get(`/api/1/datasets/?followed_by=${follower.id}&featured=false`);
    expect([ids(unfeatured), unfeatured.json.total]).toEqual([
      [followedA.id, followedB.id, otherWords.id].sort(),
      3,
    ]);
    // Someone who follows none of them finds none.
    const nobody = await api.get(`/api/1/datasets/?followed_by=${reuser.id}&q=${word}`);
    expect([nobody.status, nobody.json.data, nobody.json.total]).toEqual([200, [], 0]);
  });

  it('searches words within the reuses and organizations a user follows, with an exact total and another order', async () => {
    const follower = await newUser();
    const word = `Vigie${Date.now().toString(36)}`;
    const dataset = await createDataset(producer);
    const [reuseA, reuseB, reuseNotFollowed, reuseOtherWords] = await Promise.all([
      createReuse(producer, [dataset.id], { title: `Carte ${word} des gares` }),
      createReuse(producer, [dataset.id], { title: `Carte ${word} des ports` }),
      createReuse(producer, [dataset.id], { title: `Carte ${word} des routes` }),
      createReuse(producer, [dataset.id], { title: uniqueTitle('Sans le mot') }),
    ]);
    const [organizationA, organizationB, organizationNotFollowed, organizationOtherWords] = await Promise.all(
      [
        createOrganization(producer, { name: `Agence ${word} du nord` }),
        createOrganization(producer, { name: `Agence ${word} du sud` }),
        createOrganization(producer, { name: `Agence ${word} de l’est` }),
        createOrganization(producer, { name: uniqueTitle('Sans le mot') }),
      ],
    );
    for (const path of [
      ...[reuseA, reuseB, reuseOtherWords].map((reuse) => `/api/1/reuses/${reuse.id}/followers/`),
      ...[organizationA, organizationB, organizationOtherWords].map(
        (organization) => `/api/1/organizations/${organization.id}/followers/`,
      ),
    ]) {
      const followed = await api.post(path, undefined, follower.headers);
      expect(followed.status, followed.text).toBe(201);
    }
    expect([reuseNotFollowed.id, organizationNotFollowed.id]).toHaveLength(2);
    const ids = (response: Response) => response.json.data.map((item: { id: string }) => item.id).sort();
    // Indexed a moment after they are written: the words of all six are searchable first.
    for (const kind of ['reuses', 'organizations']) {
      await eventually(
        () => api.get(`/api/1/${kind}/?q=${word}`),
        (response) => response.json.total === 3,
        `the three ${kind} with the word`,
      );
    }

    const reuses = await api.get(`/api/1/reuses/?followed_by=${follower.id}&q=${word}`);
    expect(reuses.status, reuses.text).toBe(200);
    expect([ids(reuses), reuses.json.total]).toEqual([[reuseA.id, reuseB.id].sort(), 2]);
    const narrowed = await api.get(`/api/1/reuses/?followed_by=${follower.id}&q=${word}%20ports`);
    expect([ids(narrowed), narrowed.json.total]).toEqual([[reuseB.id], 1]);
    const paged = await api.get(`/api/1/reuses/?followed_by=${follower.id}&q=${word}&page_size=1`);
    expect([paged.json.data.length, paged.json.total]).toEqual([1, 2]);
    expect(paged.json.next_page).toEqual(expect.any(String));
    // Another order than the follows' is the search's too, over everything followed.
    const byCreation = await api.get(`/api/1/reuses/?followed_by=${follower.id}&sort=created`);
    expect(byCreation.status, byCreation.text).toBe(200);
    expect(byCreation.json.total).toBe(3);

    const organizations = await api.get(`/api/1/organizations/?followed_by=${follower.id}&q=${word}`);
    expect(organizations.status, organizations.text).toBe(200);
    expect([ids(organizations), organizations.json.total]).toEqual([
      [organizationA.id, organizationB.id].sort(),
      2,
    ]);
    const byName = await api.get(`/api/1/organizations/?followed_by=${follower.id}&sort=name`);
    expect(byName.status, byName.text).toBe(200);
    expect(byName.json.total).toBe(3);
    expect(byName.json.data.map((item: { name: string }) => item.name)).toEqual(
      [organizationA, organizationB, organizationOtherWords]
        .map((organization) => organization.name)
        .sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' })),
    );
    // Someone who follows none of them finds none.
    for (const kind of ['reuses', 'organizations']) {
      const nobody = await api.get(`/api/1/${kind}/?followed_by=${reuser.id}&q=${word}`);
      expect([nobody.status, nobody.json.data, nobody.json.total]).toEqual([200, [], 0]);
    }
  });

  it('refuses a followed_by that is not a user id, or reuses of both an owner and an organization, with a 400 naming them', async () => {
    for (const path of ['/api/1/datasets/', '/api/1/reuses/', '/api/1/organizations/']) {
      expect(
        expectProblem(await api.get(`${path}?followed_by=nobody`), 400).errors.followed_by,
      ).toBeDefined();
    }
    const id = reuser.id;
    expect(
      expectProblem(await api.get(`/api/1/reuses/?followed_by=${id}&owner=${id}&organization=${id}`), 400)
        .errors.owner,
    ).toBeDefined();
    expect(
      expectProblem(
        await api.get(`/api/1/reuses/?followed_by=${id}&q=carte&owner=${id}&organization=${id}`),
        400,
      ).errors.owner,
    ).toBeDefined();
  });
});
