import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, waitForEvent } from './client';
import { createDataset, createOrganization } from './fixtures';

type Response = Awaited<ReturnType<typeof api.request>>;

/** A 4xx problem document, udata's `message` included. */
function expectProblem(response: Response, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json).toMatchObject({ status, type: expect.any(String), message: expect.any(String) });
  return response.json;
}

async function addMember(org: { id: string }, by: TestUser, user: TestUser, role: 'admin' | 'editor') {
  const response = await api.post(
    `/api/1/organizations/${org.id}/member/`,
    { user: user.id, role },
    by.headers,
  );
  expect(response.status, response.text).toBe(201);
}

const toUser = (user: TestUser) => ({ class: 'User', id: user.id });
const toOrg = (org: { id: string }) => ({ class: 'Organization', id: org.id });

async function askTransfer(
  by: TestUser,
  dataset: { id: string },
  recipient: { class: string; id: string },
  comment = 'Please take it.',
) {
  return api.post(
    '/api/1/transfer/',
    { subject: { class: 'Dataset', id: dataset.id }, recipient, comment },
    by.headers,
  );
}

async function pending(by: TestUser, dataset: { id: string }, recipient: { class: string; id: string }) {
  const response = await askTransfer(by, dataset, recipient);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string };
}

const respond = (transfer: { id: string }, by: TestUser | null, response: string, comment?: string) =>
  api.post(
    `/api/1/transfer/${transfer.id}/`,
    { response, ...(comment ? { comment } : {}) },
    by?.headers ?? {},
  );

async function idsIn(path: string, as: TestUser) {
  await drained();
  const response = await api.getWith(path, as.headers);
  expect(response.status, response.text).toBe(200);
  return { ids: (response.json.data as { id: string }[]).map((item) => item.id), total: response.json.total };
}

// An owning organization (admin, editor) and a receiving one (admin, editor), a user owner, a
// bystander and a sysadmin.
let owner: TestUser;
let ownerAdmin: TestUser;
let ownerEditor: TestUser;
let recipientAdmin: TestUser;
let recipientEditor: TestUser;
let outsider: TestUser;
let sysadmin: TestUser;
let ownerOrg: { id: string; name: string; slug: string };
let recipientOrg: { id: string; name: string; slug: string };

beforeAll(async () => {
  [owner, ownerAdmin, ownerEditor, recipientAdmin, recipientEditor, outsider, sysadmin] = await Promise.all([
    newUser(),
    newUser(),
    newUser(),
    newUser(),
    newUser(),
    newUser(),
    newUser({ sysadmin: true }),
  ]);
  [ownerOrg, recipientOrg] = await Promise.all([
    createOrganization(ownerAdmin),
    createOrganization(recipientAdmin),
  ]);
  await Promise.all([
    addMember(ownerOrg, ownerAdmin, ownerEditor, 'editor'),
    addMember(recipientOrg, recipientAdmin, recipientEditor, 'editor'),
  ]);
});

describe('asking for a transfer', () => {
  it("answers 201 with udata's transfer fields, and announces it", async () => {
    const dataset = await createDataset(owner);
    const response = await askTransfer(owner, dataset, toOrg(recipientOrg), 'Vous en êtes le producteur.');
    expect(response.status, response.text).toBe(201);
    const transfer = response.json;
    expect(transfer).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      owner: expect.objectContaining({
        class: 'User',
        id: owner.id,
        first_name: 'Camille',
        last_name: 'Martin',
      }),
      recipient: expect.objectContaining({
        class: 'Organization',
        id: recipientOrg.id,
        name: recipientOrg.name,
        slug: recipientOrg.slug,
        uri: api.url(`/api/1/organizations/${recipientOrg.id}/`),
      }),
      subject: {
        class: 'Dataset',
        id: dataset.id,
        title: dataset.title,
        uri: api.url(`/api/1/datasets/${dataset.id}/`),
        page: expect.stringContaining(`/datasets/${dataset.slug}/`),
      },
      comment: 'Vous en êtes le producteur.',
      status: 'pending',
      created: expect.any(String),
      responded: null,
      responder: null,
      response_comment: null,
    });
    expect(response.headers.get('location')).toBe(api.url(`/api/1/transfer/${transfer.id}/`));
    const event = await waitForEvent(
      (candidate) =>
        candidate.detail.subject.id === transfer.id && candidate['detail-type'] === 'transfer.requested',
    );
    expect(event.detail.data).toMatchObject({
      subject: { class: 'Dataset', id: dataset.id },
      owner: { class: 'User', id: owner.id },
      recipient: { class: 'Organization', id: recipientOrg.id },
    });
    // Nothing moves until the recipient accepts.
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.owner.id).toBe(owner.id);
  });

  it('lets the owner, an admin of the owning organization and a sysadmin ask; not an editor, another user or anonymous', async () => {
    const mine = await createDataset(owner);
    expectProblem(await askTransfer(outsider, mine, toUser(outsider)), 403);
    expectProblem(
      await api.post('/api/1/transfer/', {
        subject: { class: 'Dataset', id: mine.id },
        recipient: toUser(outsider),
      }),
      401,
    );
    expect((await askTransfer(owner, mine, toUser(outsider))).status).toBe(201);
    expect((await askTransfer(sysadmin, mine, toUser(outsider))).status).toBe(201);

    const theirs = await createDataset(ownerEditor, { organization: ownerOrg.id });
    const refused = expectProblem(await askTransfer(ownerEditor, theirs, toOrg(recipientOrg)), 403);
    expect(refused.message).toMatch(/admin/);
    expectProblem(await askTransfer(recipientAdmin, theirs, toOrg(recipientOrg)), 403);
    expect((await askTransfer(ownerAdmin, theirs, toOrg(recipientOrg))).status).toBe(201);
  });

  it('refuses a transfer to the current owner, unknown subjects and recipients, and bad bodies (400)', async () => {
    const dataset = await createDataset(owner);
    const self = expectProblem(await askTransfer(owner, dataset, toUser(owner)), 400);
    expect(self.errors.recipient[0]).toMatch(/already owns/);
    const orgDataset = await createDataset(ownerAdmin, { organization: ownerOrg.id });
    expectProblem(await askTransfer(ownerAdmin, orgDataset, toOrg(ownerOrg)), 400);

    const unknownUser = expectProblem(
      await askTransfer(owner, dataset, { class: 'User', id: '0'.repeat(24) }),
      400,
    );
    expect(unknownUser.errors.recipient[0]).toMatch(/No user/);
    const unknownOrg = expectProblem(
      await askTransfer(owner, dataset, { class: 'Organization', id: 'nope' }),
      400,
    );
    expect(unknownOrg.errors.recipient[0]).toMatch(/No organization/);
    const unknownSubject = expectProblem(
      await askTransfer(owner, { id: 'f'.repeat(24) }, toUser(outsider)),
      400,
    );
    expect(unknownSubject.errors.subject[0]).toMatch(/No dataset/);

    // A dataset's id named as a reuse: no reuse has it.
    const notAReuse = expectProblem(
      await api.post(
        '/api/1/transfer/',
        { subject: { class: 'Reuse', id: dataset.id }, recipient: toUser(outsider) },
        owner.headers,
      ),
      400,
    );
    expect(notAReuse.errors.subject[0]).toMatch(/No reuse/);
    const dataservice = expectProblem(
      await api.post(
        '/api/1/transfer/',
        { subject: { class: 'Dataservice', id: dataset.id }, recipient: toUser(outsider) },
        owner.headers,
      ),
      400,
    );
    expect(dataservice.errors['subject.class']).toBeDefined();
    const badClass = expectProblem(
      await api.post(
        '/api/1/transfer/',
        { subject: { class: 'Dataset', id: dataset.id }, recipient: { class: 'Team', id: 'x' } },
        owner.headers,
      ),
      400,
    );
    expect(badClass.errors['recipient.class']).toBeDefined();
    const missing = expectProblem(await api.post('/api/1/transfer/', { comment: 'x' }, owner.headers), 400);
    expect(Object.keys(missing.errors).sort()).toEqual(['recipient', 'subject']);

    // Nothing was written: the owner has no transfer of this dataset.
    const mine = await api.getWith(`/api/1/transfer/?subject=${dataset.id}`, owner.headers);
    expect(mine.json).toEqual([]);
  });

  it('answers 410 for a deleted dataset, and 400 (unknown) for a private one the caller cannot see', async () => {
    const deleted = await createDataset(owner);
    expect((await api.delete(`/api/1/datasets/${deleted.id}/`, owner.headers)).status).toBe(204);
    expectProblem(await askTransfer(owner, deleted, toUser(outsider)), 410);
    const draft = await createDataset(owner, { private: true });
    expectProblem(await askTransfer(outsider, draft, toUser(outsider)), 400);
    expect((await askTransfer(owner, draft, toUser(outsider))).status).toBe(201);
  });
});

describe('listing and reading transfers', () => {
  it('shows each caller the transfers asked by them or their organizations, or addressed to them or organizations they administer', async () => {
    const dataset = await createDataset(ownerAdmin, { organization: ownerOrg.id });
    const older = await pending(ownerAdmin, dataset, toOrg(recipientOrg));
    const newer = await pending(ownerAdmin, dataset, toUser(outsider));
    const listed = async (user: TestUser) => {
      const response = await api.getWith(`/api/1/transfer/?subject=${dataset.id}`, user.headers);
      expect(response.status, response.text).toBe(200);
      return (response.json as { id: string }[]).map((transfer) => transfer.id);
    };
    expect(await listed(ownerAdmin)).toEqual([newer.id, older.id]);
    expect(await listed(ownerEditor)).toEqual([newer.id, older.id]);
    expect(await listed(recipientAdmin)).toEqual([older.id]);
    expect(await listed(recipientEditor)).toEqual([]);
    expect(await listed(outsider)).toEqual([newer.id]);
    expect(await listed(owner)).toEqual([]);
    expectProblem(await api.get('/api/1/transfer/'), 401);

    const filtered = await api.getWith(
      `/api/1/transfer/?status=pending&recipient=${outsider.id}`,
      ownerAdmin.headers,
    );
    expect(filtered.json.map((transfer: { id: string }) => transfer.id)).toContain(newer.id);
    expect(filtered.json.map((transfer: { id: string }) => transfer.id)).not.toContain(older.id);
    expectProblem(await api.getWith('/api/1/transfer/?status=maybe', ownerAdmin.headers), 400);

    for (const user of [ownerAdmin, ownerEditor, recipientAdmin, sysadmin]) {
      const read = await api.getWith(`/api/1/transfer/${older.id}/`, user.headers);
      expect(read.status, read.text).toBe(200);
      expect(read.json.id).toBe(older.id);
    }
    expectProblem(await api.getWith(`/api/1/transfer/${older.id}/`, outsider.headers), 403);
    expectProblem(await api.getWith(`/api/1/transfer/${older.id}/`, recipientEditor.headers), 403);
    expectProblem(await api.get(`/api/1/transfer/${older.id}/`), 401);
    expectProblem(await api.getWith(`/api/1/transfer/${'0'.repeat(24)}/`, ownerAdmin.headers), 404);
  });
});

describe('answering a transfer', () => {
  it('lets only the recipient organization’s admins (and sysadmins) answer', async () => {
    const dataset = await createDataset(owner);
    const transfer = await pending(owner, dataset, toOrg(recipientOrg));
    expectProblem(await respond(transfer, null, 'accept'), 401);
    for (const user of [outsider, owner, recipientEditor]) {
      expectProblem(await respond(transfer, user, 'accept'), 403);
    }
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.owner.id).toBe(owner.id);
    const bySysadmin = await respond(transfer, sysadmin, 'refuse', 'Not yours to give.');
    expect(bySysadmin.status, bySysadmin.text).toBe(200);
    expect(bySysadmin.json).toMatchObject({ status: 'refused', response_comment: 'Not yours to give.' });
  });

  it('lets only the recipient user answer a transfer to a user', async () => {
    const dataset = await createDataset(ownerAdmin, { organization: ownerOrg.id });
    const transfer = await pending(ownerAdmin, dataset, toUser(outsider));
    for (const user of [ownerAdmin, ownerEditor, recipientAdmin]) {
      expectProblem(await respond(transfer, user, 'accept'), 403);
    }
    const accepted = await respond(transfer, outsider, 'accept');
    expect(accepted.status, accepted.text).toBe(200);
    const moved = (await api.getWith(`/api/1/datasets/${dataset.id}/`, outsider.headers)).json;
    expect(moved.owner).toMatchObject({ id: outsider.id });
    expect(moved.organization).toBeNull();
    expect((await idsIn('/api/1/me/datasets/', outsider)).ids).toContain(dataset.id);
    expect((await idsIn(`/api/1/organizations/${ownerOrg.id}/datasets/`, ownerAdmin)).ids).not.toContain(
      dataset.id,
    );
  });

  it('moves the dataset between owners’ listings and totals when accepted, in one step', async () => {
    const dataset = await createDataset(owner);
    const draft = await createDataset(owner, { private: true });
    const before = {
      mine: await idsIn('/api/1/me/datasets/', owner),
      theirs: await idsIn(`/api/1/organizations/${recipientOrg.id}/datasets/`, recipientAdmin),
      theirsPublic: await idsIn(`/api/1/organizations/${recipientOrg.id}/datasets/`, outsider),
    };
    expect(before.mine.ids).toEqual(expect.arrayContaining([dataset.id, draft.id]));
    const first = await pending(owner, dataset, toOrg(recipientOrg));
    const second = await pending(owner, draft, toOrg(recipientOrg));
    const accepted = await respond(first, recipientAdmin, 'accept', 'Merci.');
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json).toMatchObject({
      status: 'accepted',
      response_comment: 'Merci.',
      responder: { class: 'User', id: recipientAdmin.id },
      responded: expect.any(String),
    });
    expect((await respond(second, recipientAdmin, 'accept')).status).toBe(200);

    const moved = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(moved.organization).toMatchObject({ id: recipientOrg.id, name: recipientOrg.name });
    expect(moved.owner).toBeNull();
    // The private dataset stays private, now visible to the new organization's members only.
    expect((await api.getWith(`/api/1/datasets/${draft.id}/`, recipientEditor.headers)).status).toBe(200);
    expect((await api.getWith(`/api/1/datasets/${draft.id}/`, owner.headers)).status).toBe(404);

    const after = {
      mine: await idsIn('/api/1/me/datasets/', owner),
      theirs: await idsIn(`/api/1/organizations/${recipientOrg.id}/datasets/`, recipientAdmin),
      theirsPublic: await idsIn(`/api/1/organizations/${recipientOrg.id}/datasets/`, outsider),
    };
    expect(after.mine.ids).not.toContain(dataset.id);
    expect(after.mine.ids).not.toContain(draft.id);
    expect(after.mine.total).toBe(before.mine.total - 2);
    expect(after.theirs.ids.slice(0, 2).sort()).toEqual([dataset.id, draft.id].sort());
    expect(after.theirs.total).toBe(before.theirs.total + 2);
    expect(after.theirsPublic.total).toBe(before.theirsPublic.total + 1);
    expect(after.theirsPublic.ids).not.toContain(draft.id);

    // The former owner lost the right to edit; the new organization's editor has it.
    expectProblem(await api.put(`/api/1/datasets/${dataset.id}/`, { acronym: 'OLD' }, owner.headers), 403);
    expect(
      (await api.put(`/api/1/datasets/${dataset.id}/`, { acronym: 'NEW' }, recipientEditor.headers)).status,
    ).toBe(200);

    await waitForEvent(
      (candidate) =>
        candidate.detail.subject.id === first.id && candidate['detail-type'] === 'transfer.accepted',
    );
    const updated = await waitForEvent(
      (candidate) =>
        candidate.detail.subject.id === dataset.id &&
        candidate['detail-type'] === 'dataset.updated' &&
        candidate.detail.data.transfer === first.id,
    );
    expect(updated.detail.data.changes).toEqual(['owner', 'organization']);
  });

  it('refuses a transfer without moving anything, and announces it', async () => {
    const dataset = await createDataset(owner);
    const transfer = await pending(owner, dataset, toUser(outsider));
    const refused = await respond(transfer, outsider, 'refuse', 'Non merci.');
    expect(refused.status, refused.text).toBe(200);
    expect(refused.json).toMatchObject({ status: 'refused', response_comment: 'Non merci.' });
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.owner.id).toBe(owner.id);
    await waitForEvent(
      (candidate) =>
        candidate.detail.subject.id === transfer.id && candidate['detail-type'] === 'transfer.refused',
    );
  });

  it('answers 400 to a transfer answered twice, and to a bad answer', async () => {
    const dataset = await createDataset(owner);
    const transfer = await pending(owner, dataset, toUser(outsider));
    expectProblem(await respond(transfer, outsider, 'maybe'), 400);
    expectProblem(await api.post(`/api/1/transfer/${transfer.id}/`, {}, outsider.headers), 400);
    expect((await respond(transfer, outsider, 'accept')).status).toBe(200);
    const twice = expectProblem(await respond(transfer, outsider, 'accept'), 400);
    expect(twice.message).toMatch(/already accepted/);
    expectProblem(await respond(transfer, outsider, 'refuse'), 400);
    expect((await api.getWith(`/api/1/transfer/${transfer.id}/`, outsider.headers)).json.status).toBe(
      'accepted',
    );
    expectProblem(await respond({ id: '0'.repeat(24) }, outsider, 'accept'), 404);
  });

  it('gives one winner when two answers race, and keeps the totals right', async () => {
    const dataset = await createDataset(owner);
    const transfer = await pending(owner, dataset, toOrg(recipientOrg));
    const before = await idsIn(`/api/1/organizations/${recipientOrg.id}/datasets/`, recipientAdmin);
    const answers = await Promise.all([
      respond(transfer, recipientAdmin, 'accept'),
      respond(transfer, recipientAdmin, 'accept'),
      respond(transfer, sysadmin, 'refuse'),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 400, 400]);
    const winner = answers.find((answer) => answer.status === 200)!.json;
    const final = (await api.getWith(`/api/1/transfer/${transfer.id}/`, recipientAdmin.headers)).json;
    expect(final.status).toBe(winner.status);
    const after = await idsIn(`/api/1/organizations/${recipientOrg.id}/datasets/`, recipientAdmin);
    const owned = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    if (winner.status === 'accepted') {
      expect(owned.organization.id).toBe(recipientOrg.id);
      expect(after.total).toBe(before.total + 1);
    } else {
      expect(owned.owner.id).toBe(owner.id);
      expect(after.total).toBe(before.total);
    }
  });

  it('refuses a transfer gone stale because the dataset changed owner since (400)', async () => {
    const dataset = await createDataset(owner);
    const toOutsider = await pending(owner, dataset, toUser(outsider));
    const toOrganization = await pending(owner, dataset, toOrg(recipientOrg));
    expect((await respond(toOrganization, recipientAdmin, 'accept')).status).toBe(200);
    const stale = expectProblem(await respond(toOutsider, outsider, 'accept'), 400);
    expect(stale.message).toMatch(/changed owner/);
    expect((await api.getWith(`/api/1/transfer/${toOutsider.id}/`, outsider.headers)).json.status).toBe(
      'pending',
    );
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.organization.id).toBe(recipientOrg.id);
  });

  it('answers 410 when accepting a transfer of a dataset deleted since', async () => {
    const dataset = await createDataset(owner);
    const transfer = await pending(owner, dataset, toUser(outsider));
    expect((await api.delete(`/api/1/datasets/${dataset.id}/`, owner.headers)).status).toBe(204);
    expectProblem(await respond(transfer, outsider, 'accept'), 410);
    expect((await api.getWith(`/api/1/transfer/${transfer.id}/`, outsider.headers)).json.status).toBe(
      'pending',
    );
    expect((await respond(transfer, outsider, 'refuse')).status).toBe(200);
  });
});
