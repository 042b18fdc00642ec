import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, busEvents, drained, streamControl } from './client';
import { createDataset, createOrganization, createReuse } from './fixtures';

/** A reuser's question on a dataset: the discussion's id. */
async function openDiscussion(reuser: TestUser, dataset: string): Promise<string> {
  const opened = await api.post(
    '/api/1/discussions/',
    { title: 'Une question', comment: 'Quelle unité ?', subject: { class: 'Dataset', id: dataset } },
    reuser.headers,
  );
  expect(opened.status, opened.text).toBe(201);
  return opened.json.id as string;
}

describe('the activity stream', () => {
  let producer: TestUser;
  beforeAll(async () => {
    producer = await newUser();
  });

  it('shows what happened to a dataset under udata’s keys, newest first, with the fields changed', async () => {
    const dataset = await createDataset(producer);
    const link = await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'Données', url: 'https://example.org/data.csv', filetype: 'remote' },
      producer.headers,
    );
    expect(link.status, link.text).toBe(201);
    const edit = await api.put(
      `/api/1/datasets/${dataset.id}/`,
      { description: 'Better.' },
      producer.headers,
    );
    expect(edit.status, edit.text).toBe(200);
    await drained();

    const response = await api.get(`/api/1/activity/?related_to=${dataset.id}`);
    expect(response.status, response.text).toBe(200);
    expect(response.json.total).toBe(3);
    expect(response.json.data.map((line: { key: string }) => line.key)).toEqual([
      'dataset:updated',
      'dataset:resource:added',
      'dataset:created',
    ]);
    const [updated, added] = response.json.data;
    expect(updated).toMatchObject({
      related_to: dataset.title,
      related_to_id: dataset.id,
      related_to_kind: 'Dataset',
      changes: ['description'],
      actor: { id: producer.id },
      organization: null,
    });
    expect(added.extras).toMatchObject({ resource_title: 'Données' });

    const mine = await api.get(`/api/1/activity/?user=${producer.id}&related_to=${dataset.id}&page_size=2`);
    expect(mine.json.data).toHaveLength(2);
    expect(mine.json.total).toBe(3);
    const next = (await fetch(mine.json.next_page).then((answer) => answer.json())) as {
      data: { key: string }[];
    };
    expect(next.data.map((line: { key: string }) => line.key)).toEqual(['dataset:created']);
  });

  it('lists an organization’s activity, and nothing of private datasets', async () => {
    const organization = await createOrganization(producer);
    const published = await createDataset(producer, { organization: organization.id });
    await createDataset(producer, { organization: organization.id, private: true });
    await drained();
    const response = await api.get(`/api/1/activity/?organization=${organization.id}`);
    expect(response.status, response.text).toBe(200);
    expect(
      response.json.data.map((line: { key: string; related_to_id: string }) => [
        line.key,
        line.related_to_id,
      ]),
    ).toEqual([
      ['dataset:created', published.id],
      ['organization:created', organization.id],
    ]);
    expect(response.json.total).toBe(2);
  });

  it('takes out everything about a dataset or reuse once it is made private, and its totals', async () => {
    const organization = await createOrganization(producer);
    const follower = await newUser();
    const dataset = await createDataset(producer, { organization: organization.id });
    const kept = await createDataset(producer, { organization: organization.id });
    expect(
      (await api.post(`/api/1/datasets/${dataset.id}/followers/`, undefined, follower.headers)).status,
    ).toBe(201);
    await openDiscussion(follower, dataset.id);
    const reuse = await createReuse(producer, [kept.id]);
    await drained();
    const about = async (query: string) => {
      const response = await api.get(`/api/1/activity/?${query}&page_size=100`);
      expect(response.status, response.text).toBe(200);
      return {
        related: (response.json.data as { related_to_id: string }[]).map((line) => line.related_to_id),
        total: response.json.total as number,
      };
    };
    expect((await about(`related_to=${dataset.id}`)).total).toBe(3);
    expect((await about(`related_to=${reuse.id}`)).total).toBe(1);

    for (const [path, id] of [
      ['datasets', dataset.id],
      ['reuses', reuse.id],
    ]) {
      const hidden = await api.put(`/api/1/${path}/${id}/`, { private: true }, producer.headers);
      expect(hidden.status, hidden.text).toBe(200);
    }
    await drained();
    // Anyone reading the stream, by object, organization, actor or all of it, no longer sees their
    // titles, and the totals agree with the pages.
    for (const id of [dataset.id, reuse.id]) {
      expect(await about(`related_to=${id}`)).toEqual({ related: [], total: 0 });
    }
    const ofOrganization = await about(`organization=${organization.id}`);
    expect(ofOrganization.related).not.toContain(dataset.id);
    expect(ofOrganization.related).toContain(kept.id);
    expect(ofOrganization.total).toBe(ofOrganization.related.length);
    for (const actor of [producer, follower]) {
      const ofActor = await about(`user=${actor.id}`);
      expect(ofActor.related).not.toContain(dataset.id);
      expect(ofActor.related).not.toContain(reuse.id);
      expect(ofActor.total).toBe(ofActor.related.length);
    }
    const everything = await about('page=1');
    expect(everything.related).not.toContain(dataset.id);

    // Public again: what happens from then on shows.
    const shown = await api.put(`/api/1/datasets/${dataset.id}/`, { private: false }, producer.headers);
    expect(shown.status, shown.text).toBe(200);
    await drained();
    expect(await about(`related_to=${dataset.id}`)).toEqual({ related: [dataset.id], total: 1 });
  });

  it('shows the comments and the close of a discussion about a dataset, a closing comment once', async () => {
    const reuser = await newUser();
    const dataset = await createDataset(producer);
    const discussion = await openDiscussion(reuser, dataset.id);
    const answered = await api.post(
      `/api/1/discussions/${discussion}/`,
      { comment: 'Des mètres.' },
      producer.headers,
    );
    expect(answered.status, answered.text).toBe(200);
    const closed = await api.post(
      `/api/1/discussions/${discussion}/`,
      { comment: 'Précisé dans la description.', close: true },
      producer.headers,
    );
    expect(closed.status, closed.text).toBe(200);

    const deadline = Date.now() + 15_000;
    let lines: { key: string; actor: { id: string }; extras: Record<string, string> }[] = [];
    const expected = ['dataset:discussed', 'dataset:discussion:commented', 'dataset:discussion:closed'];
    while (!expected.every((key) => lines.some((line) => line.key === key))) {
      expect(Date.now(), `${expected.join(', ')} in the activity stream`).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 150));
      lines = (await api.get(`/api/1/activity/?related_to=${dataset.id}`)).json.data;
    }
    const keys = lines.map((line) => line.key);
    expect(keys.filter((key) => key === 'dataset:discussion:commented')).toHaveLength(1);
    const close = lines.find((line) => line.key === 'dataset:discussion:closed')!;
    expect(close).toMatchObject({
      actor: { id: producer.id },
      extras: { discussion_id: discussion, discussion_title: 'Une question' },
    });
    const comment = lines.find((line) => line.key === 'dataset:discussion:commented')!;
    expect(comment.extras.comment_id).toBe(answered.json.discussion[1].id);
  });

  it('leaves out edits and deletions of comments and titles, as udata does', async () => {
    const reuser = await newUser();
    const dataset = await createDataset(producer);
    const discussion = await openDiscussion(reuser, dataset.id);
    for (const comment of ['Et la date ?', 'Pardon, doublon.']) {
      const posted = await api.post(`/api/1/discussions/${discussion}/`, { comment }, reuser.headers);
      expect(posted.status, posted.text).toBe(200);
    }
    await drained();
    const before = (await api.get(`/api/1/activity/?related_to=${dataset.id}`)).json;
    expect(before.data.map((line: { key: string }) => line.key).sort()).toEqual([
      'dataset:created',
      'dataset:discussed',
      'dataset:discussion:commented',
      'dataset:discussion:commented',
    ]);

    const edited = await api.put(
      `/api/1/discussions/${discussion}/comments/1/`,
      { comment: 'Et la date de mise à jour ?' },
      reuser.headers,
    );
    expect(edited.status, edited.text).toBe(200);
    const removed = await api.delete(`/api/1/discussions/${discussion}/comments/2/`, reuser.headers);
    expect(removed.status, removed.text).toBe(204);
    const retitled = await api.put(
      `/api/1/discussions/${discussion}/`,
      { title: 'Unité et date' },
      reuser.headers,
    );
    expect(retitled.status, retitled.text).toBe(200);
    await drained();
    const after = (await api.get(`/api/1/activity/?related_to=${dataset.id}`)).json;
    expect(after.data).toEqual(before.data);
  });

  it('shows each event once, and counts it once, when the bus delivers events again beside new ones', async () => {
    const editor = await newUser();
    const dataset = await createDataset(editor);
    await drained();
    const edit = async (description: string) => {
      const response = await api.put(`/api/1/datasets/${dataset.id}/`, { description }, editor.headers);
      expect(response.status, response.text).toBe(200);
    };
    // Three edits relayed, then two more relayed from where the relay stood before the three (as after a
    // crash before it saved its position): the three come again, in the same batches as the two.
    const before = await streamControl('relay', 'stop');
    for (const description of ['Un.', 'Deux.', 'Trois.']) await edit(description);
    await streamControl('relay', 'start');
    await drained();
    await streamControl('relay', 'stop');
    for (const description of ['Quatre.', 'Cinq.']) await edit(description);
    await streamControl('relay', 'start', before);
    await drained();
    const updates = busEvents().filter(
      (event) => event['detail-type'] === 'dataset.updated' && event.detail.subject.id === dataset.id,
    );
    expect(updates.length).toBeGreaterThanOrEqual(8);

    for (const filter of [`related_to=${dataset.id}`, `user=${editor.id}`]) {
      const response = await api.get(`/api/1/activity/?${filter}&page_size=20`);
      expect(response.status, response.text).toBe(200);
      const lines = response.json.data as { id: string; key: string }[];
      expect(lines.map((line) => line.key)).toEqual([
        ...Array.from({ length: 5 }, () => 'dataset:updated'),
        'dataset:created',
      ]);
      expect(new Set(lines.map((line) => line.id)).size).toBe(6);
      expect(response.json.total, filter).toBe(6);
    }
    // The unfiltered stream (every activity, newest first) holds them once each too.
    const created = (await api.get(`/api/1/activity/?related_to=${dataset.id}&page_size=20`)).json.data as {
      id: string;
      created_at: string;
    }[];
    const oldest = created.at(-1)!.created_at;
    const mine: string[] = [];
    let next: string | null = `/api/1/activity/?page_size=100`;
    while (next) {
      const page = await api.get(next.replace(/^https?:\/\/[^/]+/, ''));
      expect(page.status, page.text).toBe(200);
      const data = page.json.data as { id: string; related_to_id: string; created_at: string }[];
      for (const line of data) if (line.related_to_id === dataset.id) mine.push(line.id);
      next = data.at(-1) && data.at(-1)!.created_at >= oldest ? page.json.next_page : null;
    }
    expect(mine).toEqual(created.map((line) => line.id));
  });

  it('refuses filters that are not ids, with a 400 naming them', async () => {
    for (const query of ['user=nobody', 'organization=1', 'related_to=%00', 'page=0', 'cursor=x']) {
      const response = await api.get(`/api/1/activity/?${query}`);
      expect(response.status, `${query}: ${response.text}`).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
