import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle, waitForEvent } from './client';
import { createOrganization } from './fixtures';

type Response = Awaited<ReturnType<typeof api.request>>;

/** A 4xx problem document, udata's `message` included. */
function expectProblem(response: Response, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json).toMatchObject({ status, type: expect.any(String), message: expect.any(String) });
  return response.json;
}

const orgPath = (org: { id: string }, rest = '') => `/api/1/organizations/${org.id}/${rest}`;

async function addMember(org: { id: string }, by: TestUser, user: TestUser, role = 'editor') {
  const response = await api.post(orgPath(org, 'member/'), { user: user.id, role }, by.headers);
  expect(response.status, response.text).toBe(201);
  return response.json;
}

async function askToJoin(org: { id: string }, user: TestUser, comment = 'Je travaille ici.') {
  return api.post(orgPath(org, 'membership/'), { comment }, user.headers);
}

async function rolesIn(org: { id: string }, as: TestUser) {
  const response = await api.getWith(orgPath(org), as.headers);
  expect(response.status, response.text).toBe(200);
  return Object.fromEntries(
    (response.json.members as { user: { id: string }; role: string }[]).map((member) => [
      member.user.id,
      member.role,
    ]),
  );
}

let admin: TestUser;
let editor: TestUser;
let outsider: TestUser;
let sysadmin: TestUser;

beforeAll(async () => {
  [admin, editor, outsider, sysadmin] = await Promise.all([
    newUser(),
    newUser(),
    newUser(),
    newUser({ sysadmin: true }),
  ]);
});

describe('creating an organization', () => {
  it('answers 201 with udata fields, a slug made from the name, and the creator as admin', async () => {
    const name = uniqueTitle('Direction Interministérielle du Numérique');
    const response = await api.post(
      '/api/1/organizations/',
      {
        name,
        acronym: 'DINUM',
        description: 'La **DINUM**.',
        url: 'https://numerique.gouv.fr',
        business_number_id: '13002526500013',
        extras: { siren: '130025265' },
        slug: 'ignored',
      },
      admin.headers,
    );
    expect(response.status, response.text).toBe(201);
    const org = response.json;
    expect(org.id).toMatch(/^[0-9a-f]{24}$/);
    expect(org.slug).toMatch(/^direction-interministerielle-du-numerique-/);
    expect(org).toMatchObject({
      name,
      acronym: 'DINUM',
      description: 'La **DINUM**.',
      url: 'https://numerique.gouv.fr',
      business_number_id: '13002526500013',
      extras: { siren: '130025265' },
      deleted: null,
      badges: [],
      logo: null,
      logo_thumbnail: null,
      metrics: { datasets: 0, members: 1, followers: 0, reuses: 0, views: 0 },
    });
    expect(org.members).toEqual([
      {
        user: expect.objectContaining({ id: admin.id, first_name: 'Camille', last_name: 'Martin' }),
        role: 'admin',
        label: 'Administrator',
        since: org.created_at,
      },
    ]);
    expect(org.uri).toBe(api.url(`/api/1/organizations/${org.id}/`));
    expect(response.headers.get('location')).toBe(org.uri);
    const event = await waitForEvent(
      (candidate) =>
        candidate.detail.subject.id === org.id && candidate['detail-type'] === 'organization.created',
    );
    expect(event.detail.data.slug).toBe(org.slug);
  });

  it('needs a signed-in caller (401) with a confirmed account (403)', async () => {
    const body = { name: uniqueTitle('Anonymous'), description: 'x' };
    expectProblem(await api.post('/api/1/organizations/', body), 401);
    const unconfirmed = await newUser({ confirmed: false });
    const problem = expectProblem(await api.post('/api/1/organizations/', body, unconfirmed.headers), 403);
    expect(problem.message).toMatch(/confirm/i);
  });

  it('never gives an organization a slug that shadows a fixed path', async () => {
    const org = await createOrganization(admin, { name: 'Roles' });
    expect(org.slug).not.toBe('roles');
    const roles = await api.get('/api/1/organizations/roles/');
    expect(roles.json).toEqual([
      { id: 'admin', label: 'Administrator' },
      { id: 'editor', label: 'Editor' },
    ]);
  });
});

describe('reading organizations', () => {
  it('finds an organization by id and by slug, anonymously', async () => {
    const org = await createOrganization(admin);
    const byId = await api.get(`/api/1/organizations/${org.id}/`);
    const bySlug = await api.get(`/api/1/organizations/${org.slug}/`);
    expect(byId.status).toBe(200);
    expect(bySlug.json).toEqual(byId.json);
    expectProblem(await api.get('/api/1/organizations/no-such-organization/'), 404);
  });

  it('lists organizations newest first in the udata envelope, with a working next page', async () => {
    const first = await createOrganization(admin);
    const second = await createOrganization(admin);
    await drained(); // totals are folded from the table stream
    const page = await api.get('/api/1/organizations/?page_size=100');
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ page: 1, page_size: 100, previous_page: null });
    expect(page.json.total).toBeGreaterThanOrEqual(2);
    const ids = (page.json.data as { id: string }[]).map((org) => org.id);
    expect(ids.indexOf(second.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));

    const one = await api.get('/api/1/organizations/?page_size=1');
    expect(one.json.next_page).toContain('cursor=');
    const link = new URL(one.json.next_page);
    const next = await api.get(link.pathname + link.search);
    expect(next.status, next.text).toBe(200);
    expect(next.json).toMatchObject({ page: 2, page_size: 1 });
    expect(next.json.previous_page).toContain('page=1');
    expect(next.json.data[0].id).not.toBe(one.json.data[0].id);
  });

  it('refuses search filters it does not serve yet rather than ignoring them', async () => {
    const problem = expectProblem(await api.get('/api/1/organizations/?name=budget'), 400);
    expect(problem.errors).toHaveProperty('name');
  });
});

describe('updating an organization', () => {
  it('lets an admin merge changes, the slug following the name while the old one keeps resolving', async () => {
    const org = await createOrganization(admin, { acronym: 'OLD' });
    const name = uniqueTitle('Renamed');
    const response = await api.put(orgPath(org), { name, url: 'https://example.org' }, admin.headers);
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({ name, acronym: 'OLD', url: 'https://example.org', id: org.id });
    expect(response.json.slug).not.toBe(org.slug);
    expect((await api.get(`/api/1/organizations/${org.slug}/`)).json.id).toBe(org.id);
    await waitForEvent(
      (event) => event.detail.subject.id === org.id && event['detail-type'] === 'organization.updated',
    );
  });

  it('refuses editors and outsiders (403) and anonymous callers (401); a sysadmin may', async () => {
    const org = await createOrganization(admin);
    await addMember(org, admin, editor);
    expectProblem(await api.put(orgPath(org), { acronym: 'X' }, editor.headers), 403);
    expectProblem(await api.put(orgPath(org), { acronym: 'X' }, outsider.headers), 403);
    expectProblem(await api.put(orgPath(org), { acronym: 'X' }), 401);
    expect((await api.get(orgPath(org))).json.acronym).toBeNull();
    const bySysadmin = await api.put(orgPath(org), { acronym: 'SYS' }, sysadmin.headers);
    expect(bySysadmin.status, bySysadmin.text).toBe(200);
    expect(bySysadmin.json.acronym).toBe('SYS');
  });
});

describe('deleting an organization', () => {
  it('is soft: 410 for outsiders, still readable by members and sysadmins, gone from the list', async () => {
    const org = await createOrganization(admin);
    await addMember(org, admin, editor);
    expectProblem(await api.delete(orgPath(org), editor.headers), 403);
    expectProblem(await api.delete(orgPath(org)), 401);
    const deleted = await api.delete(orgPath(org), admin.headers);
    expect(deleted.status, deleted.text).toBe(204);

    expectProblem(await api.get(orgPath(org)), 410);
    expectProblem(await api.getWith(orgPath(org), outsider.headers), 410);
    for (const member of [admin, editor, sysadmin]) {
      const read = await api.getWith(orgPath(org), member.headers);
      expect(read.status, read.text).toBe(200);
      expect(read.json.deleted).not.toBeNull();
    }
    const listed = await api.get('/api/1/organizations/?page_size=100');
    expect((listed.json.data as { id: string }[]).some((item) => item.id === org.id)).toBe(false);

    expectProblem(await api.delete(orgPath(org), admin.headers), 410);
    expectProblem(await api.put(orgPath(org), { acronym: 'X' }, admin.headers), 410);
    expectProblem(await askToJoin(org, outsider), 410);
  });
});

describe('membership requests', () => {
  it('goes from request to accepted membership, and refuses accepting twice or joining twice', async () => {
    const org = await createOrganization(admin);
    await addMember(org, admin, editor);
    const joiner = await newUser();

    const asked = await askToJoin(org, joiner, 'Bonjour');
    expect(asked.status, asked.text).toBe(201);
    expect(asked.json).toMatchObject({
      kind: 'request',
      status: 'pending',
      comment: 'Bonjour',
      handled_on: null,
      handled_by: null,
      refusal_comment: null,
      user: { id: joiner.id },
    });
    const again = await askToJoin(org, joiner, 'Bonjour, encore');
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ id: asked.json.id, comment: 'Bonjour, encore' });

    for (const member of [admin, editor]) {
      const listed = await api.getWith(orgPath(org, 'membership/?status=pending'), member.headers);
      expect(listed.status, listed.text).toBe(200);
      expect(listed.json).toEqual([
        expect.objectContaining({ id: asked.json.id, comment: 'Bonjour, encore' }),
      ]);
    }
    expectProblem(await api.getWith(orgPath(org, 'membership/'), outsider.headers), 403);
    expectProblem(await api.get(orgPath(org, 'membership/')), 401);
    const mine = await api.getWith(orgPath(org, `membership/?user=${joiner.id}`), joiner.headers);
    expect(mine.json.map((request: { id: string }) => request.id)).toEqual([asked.json.id]);

    const requestPath = orgPath(org, `membership/${asked.json.id}/`);
    expectProblem(await api.post(`${requestPath}accept/`, undefined, editor.headers), 403);
    const accepted = await api.post(`${requestPath}accept/`, undefined, admin.headers);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json).toMatchObject({ role: 'editor', user: { id: joiner.id } });
    expect((await rolesIn(org, admin))[joiner.id]).toBe('editor');

    const twice = expectProblem(await api.post(`${requestPath}accept/`, undefined, admin.headers), 409);
    expect(twice.message).toMatch(/already accepted/);
    expectProblem(await askToJoin(org, joiner), 409);

    const handled = await api.getWith(orgPath(org, 'membership/?status=accepted'), admin.headers);
    expect(handled.json).toEqual([
      expect.objectContaining({ id: asked.json.id, status: 'accepted', handled_by: admin.id }),
    ]);
    await waitForEvent(
      (event) =>
        event.detail.subject.id === org.id &&
        event['detail-type'] === 'organization.membership.accepted' &&
        event.detail.data.user === joiner.id,
    );
  });

  it('refuses with a comment, after which the user may ask again', async () => {
    const org = await createOrganization(admin);
    const asked = await askToJoin(org, outsider);
    const refusePath = orgPath(org, `membership/${asked.json.id}/refuse/`);
    const missing = expectProblem(await api.post(refusePath, {}, admin.headers), 400);
    expect(missing.errors).toEqual({ comment: ['This field is required.'] });
    expectProblem(await api.post(refusePath, { comment: 'Non.' }, outsider.headers), 403);

    const refused = await api.post(refusePath, { comment: 'Nous ne vous connaissons pas.' }, admin.headers);
    expect(refused.status, refused.text).toBe(200);
    expect(refused.json).toMatchObject({
      status: 'refused',
      refusal_comment: 'Nous ne vous connaissons pas.',
      handled_by: admin.id,
    });
    expect(refused.json.handled_on).toEqual(expect.any(String));
    const again = expectProblem(await api.post(refusePath, { comment: 'Toujours non.' }, admin.headers), 400);
    expect(again.message).toMatch(/already refused/);
    expectProblem(
      await api.post(orgPath(org, `membership/${asked.json.id}/accept/`), undefined, admin.headers),
      400,
    );
    expect(await rolesIn(org, admin)).not.toHaveProperty(outsider.id);

    const newRequest = await askToJoin(org, outsider);
    expect(newRequest.status).toBe(201);
    expect(newRequest.json.id).not.toBe(asked.json.id);
  });

  it('lets the requester (or an admin) cancel, nobody else', async () => {
    const org = await createOrganization(admin);
    const joiner = await newUser();
    const asked = await askToJoin(org, joiner);
    const cancelPath = orgPath(org, `membership/${asked.json.id}/cancel/`);
    expectProblem(await api.post(cancelPath, undefined, outsider.headers), 403);
    const canceled = await api.post(cancelPath, undefined, joiner.headers);
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.json).toMatchObject({ status: 'canceled', handled_by: joiner.id });
    expectProblem(await api.post(cancelPath, undefined, joiner.headers), 400);

    const second = await askToJoin(org, joiner);
    const byAdmin = await api.post(
      orgPath(org, `membership/${second.json.id}/cancel/`),
      undefined,
      admin.headers,
    );
    expect(byAdmin.json.status).toBe('canceled');
    expectProblem(
      await api.post(orgPath(org, 'membership/0123456789abcdef01234567/cancel/'), undefined, admin.headers),
      404,
    );
  });

  it('lets two admins accept the same request at the same moment: one membership, one refusal', async () => {
    const org = await createOrganization(admin);
    const secondAdmin = await newUser();
    await addMember(org, admin, secondAdmin, 'admin');
    const joiner = await newUser();
    const asked = await askToJoin(org, joiner);
    const acceptPath = orgPath(org, `membership/${asked.json.id}/accept/`);
    const responses = await Promise.all([
      api.post(acceptPath, undefined, admin.headers),
      api.post(acceptPath, undefined, secondAdmin.headers),
    ]);
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses[0], responses.map((response) => response.text).join('\n')).toBe(200);
    expect([400, 409]).toContain(statuses[1]);
    const loser = responses.find((response) => response.status !== 200)!;
    expect(loser.json.message).toMatch(/already/);
    const org2 = await api.getWith(orgPath(org), admin.headers);
    expect(org2.json.metrics.members).toBe(3);
    expect(
      (org2.json.members as { user: { id: string } }[]).filter((member) => member.user.id === joiner.id),
    ).toHaveLength(1);
  });
});

describe('members', () => {
  it('are added directly by an admin, change role and are removed', async () => {
    const org = await createOrganization(admin);
    const user = await newUser();
    expectProblem(await api.post(orgPath(org, 'member/'), { user: user.id }, outsider.headers), 403);
    const added = await api.post(orgPath(org, 'member/'), { user: user.id }, admin.headers);
    expect(added.status, added.text).toBe(201);
    expect(added.json).toMatchObject({ role: 'editor', user: { id: user.id } });
    expectProblem(
      await api.post(orgPath(org, 'member/'), { user: user.id, role: 'admin' }, admin.headers),
      409,
    );

    expectProblem(await api.put(orgPath(org, `member/${user.id}/`), { role: 'admin' }, user.headers), 403);
    const promoted = await api.put(orgPath(org, `member/${user.id}/`), { role: 'admin' }, admin.headers);
    expect(promoted.status, promoted.text).toBe(200);
    expect(promoted.json.role).toBe('admin');
    expect((await rolesIn(org, admin))[user.id]).toBe('admin');

    const removed = await api.delete(orgPath(org, `member/${user.id}/`), admin.headers);
    expect(removed.status, removed.text).toBe(204);
    expect(await rolesIn(org, admin)).not.toHaveProperty(user.id);
    expectProblem(await api.delete(orgPath(org, `member/${user.id}/`), admin.headers), 404);
    await waitForEvent(
      (event) =>
        event.detail.subject.id === org.id &&
        event['detail-type'] === 'organization.member.removed' &&
        event.detail.data.user === user.id,
    );
  });

  it('may leave by themselves, but an editor cannot remove someone else', async () => {
    const org = await createOrganization(admin);
    const first = await newUser();
    const second = await newUser();
    await addMember(org, admin, first);
    await addMember(org, admin, second);
    expectProblem(await api.delete(orgPath(org, `member/${second.id}/`), first.headers), 403);
    const left = await api.delete(orgPath(org, `member/${first.id}/`), first.headers);
    expect(left.status, left.text).toBe(204);
    expect(Object.keys(await rolesIn(org, admin)).sort()).toEqual([admin.id, second.id].sort());
  });

  it('closes a pending request of a user added directly', async () => {
    const org = await createOrganization(admin);
    const joiner = await newUser();
    const asked = await askToJoin(org, joiner);
    await addMember(org, admin, joiner);
    const requests = await api.getWith(orgPath(org, 'membership/'), admin.headers);
    expect(requests.json).toEqual([expect.objectContaining({ id: asked.json.id, status: 'accepted' })]);
  });

  it('always keeps one admin: removing or demoting the last one answers 400 and writes nothing', async () => {
    const org = await createOrganization(admin);
    await addMember(org, admin, editor);
    const demoted = expectProblem(
      await api.put(orgPath(org, `member/${admin.id}/`), { role: 'editor' }, admin.headers),
      400,
    );
    expect(demoted.errors.role[0]).toMatch(/last admin/);
    const removed = expectProblem(await api.delete(orgPath(org, `member/${admin.id}/`), admin.headers), 400);
    expect(removed.message).toMatch(/last admin/);
    expect(await rolesIn(org, admin)).toEqual({ [admin.id]: 'admin', [editor.id]: 'editor' });
  });

  it('keeps one admin even when two admins step down at the same moment', async () => {
    const org = await createOrganization(admin);
    const other = await newUser();
    await addMember(org, admin, other, 'admin');
    const responses = await Promise.all([
      api.put(orgPath(org, `member/${admin.id}/`), { role: 'editor' }, admin.headers),
      api.put(orgPath(org, `member/${other.id}/`), { role: 'editor' }, other.headers),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
    const roles = Object.values(await rolesIn(org, sysadmin));
    expect(roles.filter((role) => role === 'admin')).toHaveLength(1);
  });
});

describe('organizations with bad input', () => {
  it('names each missing required field', async () => {
    const problem = expectProblem(
      await api.post('/api/1/organizations/', { acronym: 'X' }, admin.headers),
      400,
    );
    expect(problem.errors).toEqual({
      name: ['This field is required.'],
      description: ['This field is required.'],
    });
  });

  it('names a bad url and an over-long business number', async () => {
    const problem = expectProblem(
      await api.post(
        '/api/1/organizations/',
        { name: 'X', description: 'x', url: 'not a url', business_number_id: '1'.repeat(15) },
        admin.headers,
      ),
      400,
    );
    expect(Object.keys(problem.errors).sort()).toEqual(['business_number_id', 'url']);
  });

  it('refuses malformed JSON', async () => {
    const problem = expectProblem(
      await api.post('/api/1/organizations/', '{"name": "X", "description": ', admin.headers),
      400,
    );
    expect(problem.message).toMatch(/not valid JSON/);
  });

  it('names an unknown role and an unknown user', async () => {
    const org = await createOrganization(admin);
    const role = expectProblem(
      await api.post(orgPath(org, 'member/'), { user: outsider.id, role: 'owner' }, admin.headers),
      400,
    );
    expect(Object.keys(role.errors)).toEqual(['role']);
    const put = expectProblem(
      await api.put(orgPath(org, `member/${admin.id}/`), { role: 'partial_editor' }, admin.headers),
      400,
    );
    expect(Object.keys(put.errors)).toEqual(['role']);
    const user = expectProblem(
      await api.post(orgPath(org, 'member/'), { user: '0123456789abcdef01234567' }, admin.headers),
      404,
    );
    expect(user.message).toMatch(/^user: /);
    const missing = expectProblem(
      await api.post(orgPath(org, 'member/'), { role: 'editor' }, admin.headers),
      400,
    );
    expect(missing.errors).toEqual({ user: ['This field is required.'] });
  });

  it('treats member ids named after Object.prototype properties as unknown members (404), never a 500', async () => {
    const org = await createOrganization(admin);
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const put = expectProblem(
        await api.put(orgPath(org, `member/${id}/`), { role: 'admin' }, admin.headers),
        404,
      );
      expect(put.message).toContain('is not a member');
      const removed = expectProblem(await api.delete(orgPath(org, `member/${id}/`), admin.headers), 404);
      expect(removed.message).toContain('is not a member');
      const added = expectProblem(
        await api.post(orgPath(org, 'member/'), { user: id, role: 'editor' }, admin.headers),
        404,
      );
      expect(added.message).toMatch(/^user: /);
    }
    // Nothing changed: the admin is still the only member.
    expect(await rolesIn(org, admin)).toEqual({ [admin.id]: 'admin' });
  });

  it('requires a comment to ask to join, and a known status to filter requests', async () => {
    const org = await createOrganization(admin);
    const problem = expectProblem(await api.post(orgPath(org, 'membership/'), {}, outsider.headers), 400);
    expect(problem.errors).toEqual({ comment: ['This field is required.'] });
    const status = expectProblem(
      await api.getWith(orgPath(org, 'membership/?status=maybe'), admin.headers),
      400,
    );
    expect(Object.keys(status.errors)).toEqual(['status']);
  });
});
