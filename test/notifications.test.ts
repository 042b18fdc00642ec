import { beforeAll, describe, expect, it } from 'vitest';
import { mailTo, newUser, outboxMails, type TestUser } from './accounts';
import { api, drained, runScheduled, uniqueTitle } from './client';
import { createOrganization } from './fixtures';

async function inbox(user: TestUser, query = '') {
  const response = await api.getWith(`/api/1/notifications/${query}`, user.headers);
  expect(response.status, response.text).toBe(200);
  return response.json as {
    total: number;
    data: {
      id: string;
      kind: string;
      handled_at: string | null;
      details: { subject: { id: string; title: string }; event: string; text: string };
    }[];
  };
}

/** Digest mails sent to `to` (every digest carries the unsubscribe headers). */
function digestsTo(to: string): string[] {
  return outboxMails().filter(
    (mail) => mail.includes(`\nTo: ${to}\n`) && mail.includes('\nList-Unsubscribe: '),
  );
}

/** Digest periods are five seconds long in tests (an hour by default). */
const PERIOD_MS = 5_000;

/** Waits for the start of the next period, so what follows falls in one period. */
async function periodStart() {
  await new Promise((resolve) => setTimeout(resolve, PERIOD_MS - (Date.now() % PERIOD_MS) + 50));
}

/** Waits for the current period to end. */
async function periodEnd() {
  await new Promise((resolve) => setTimeout(resolve, PERIOD_MS - (Date.now() % PERIOD_MS) + 200));
}

describe('notifications', () => {
  let admin: TestUser;
  let applicant: TestUser;
  beforeAll(async () => {
    [admin, applicant] = await Promise.all([newUser(), newUser()]);
  });

  it('tells an organization’s admins of a membership request, once, until they mark it read', async () => {
    const organization = await createOrganization(admin);
    const asked = await api.post(
      `/api/1/organizations/${organization.id}/membership/`,
      { comment: 'Let me in.' },
      applicant.headers,
    );
    expect(asked.status, asked.text).toBe(201);
    await drained();

    const unread = await inbox(admin, '?handled=false');
    const notification = unread.data.find((entry) => entry.details.subject.id === organization.id);
    expect(notification).toMatchObject({
      kind: 'membership_request',
      handled_at: null,
      details: { event: 'organization.membership.requested', subject: { title: organization.name } },
    });
    expect((await inbox(applicant)).data.some((entry) => entry.details.subject.id === organization.id)).toBe(
      false,
    );

    const read = await api.post(`/api/1/notifications/${notification!.id}/read/`, undefined, admin.headers);
    expect(read.status, read.text).toBe(200);
    expect(read.json.handled_at).toEqual(expect.any(String));
    expect((await inbox(admin, '?handled=false')).data.some((entry) => entry.id === notification!.id)).toBe(
      false,
    );
    expect((await inbox(admin, '?handled=true')).data.some((entry) => entry.id === notification!.id)).toBe(
      true,
    );

    // Someone else's notification id is unknown to the caller.
    const stranger = await api.post(
      `/api/1/notifications/${notification!.id}/read/`,
      undefined,
      applicant.headers,
    );
    expect(stranger.status).toBe(404);
  });

  it('tells the recipient of a transfer, not the one who asked', async () => {
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Jeu'), description: 'Described.' },
      admin.headers,
    );
    const transfer = await api.post(
      '/api/1/transfer/',
      {
        subject: { class: 'Dataset', id: dataset.json.id },
        recipient: { class: 'User', id: applicant.id },
        comment: 'Take it.',
      },
      admin.headers,
    );
    expect(transfer.status, transfer.text).toBe(201);
    await drained();
    const received = (await inbox(applicant)).data.filter((entry) => entry.kind === 'transfer_request');
    expect(received).toHaveLength(1);
    expect(received[0]!.details.subject).toMatchObject({ id: transfer.json.id, title: dataset.json.title });
    expect((await inbox(admin)).data.some((entry) => entry.kind === 'transfer_request')).toBe(false);
  });

  it('keeps each user’s mail preferences, hourly digest by default', async () => {
    const user = await newUser();
    const initial = await api.getWith('/api/1/me/notification-preferences/', user.headers);
    expect(initial.json).toMatchObject({ digest: 'hourly', mail: { dataset_update: true } });
    const changed = await api.put(
      '/api/1/me/notification-preferences/',
      { digest: 'daily', mail: { dataset_update: false } },
      user.headers,
    );
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toMatchObject({
      digest: 'daily',
      mail: { dataset_update: false, discussion: true },
    });
    const again = await api.getWith('/api/1/me/notification-preferences/', user.headers);
    expect(again.json).toEqual(changed.json);
  });

  it('answers bad input with a 400 naming the field', async () => {
    const user = await newUser();
    const cases: [string, string, unknown][] = [
      ['PUT', '/api/1/me/notification-preferences/', { digest: 'weekly' }],
      ['PUT', '/api/1/me/notification-preferences/', { mail: { nope: true } }],
      ['PUT', '/api/1/me/notification-preferences/', { mail: { discussion: 'yes' } }],
      ['GET', '/api/1/notifications/?handled=maybe', undefined],
      ['POST', '/api/1/notifications/not-an-id/read/', undefined],
      ['GET', '/api/1/notifications/unsubscribe/?token=abc.def', undefined],
      ['POST', '/api/1/notifications/unsubscribe/', undefined],
    ];
    for (const [method, path, body] of cases) {
      const response = await api.request(method, path, body, user.headers);
      expect(response.status, `${method} ${path}: ${response.text}`).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('mails one digest per period with a working unsubscribe link, and never the same digest twice', async () => {
    const [owner, visitor] = await Promise.all([newUser(), newUser()]);
    const organizations = await Promise.all([createOrganization(owner), createOrganization(owner)]);
    await periodStart();
    await Promise.all(
      organizations.map(async (organization) => {
        const asked = await api.post(
          `/api/1/organizations/${organization.id}/membership/`,
          { comment: 'Please.' },
          visitor.headers,
        );
        expect(asked.status, asked.text).toBe(201);
      }),
    );
    await drained();
    await periodEnd();
    await runScheduled('digest');
    await drained();
    await mailTo(owner.email, { subject: 'Portail: 2 new notifications' });
    expect(digestsTo(owner.email)).toHaveLength(1);
    const mail = digestsTo(owner.email)[0]!;
    for (const organization of organizations) expect(mail).toContain(organization.name);
    const header = mail.match(/\nList-Unsubscribe: <(\S+)>\n/);
    expect(header, mail).not.toBeNull();
    expect(mail).toContain('\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n');
    const link = header![1]!;
    expect(mail).toContain(link);

    // Running the job again mails nothing more.
    await runScheduled('digest');
    await drained();
    expect(digestsTo(owner.email)).toHaveLength(1);

    // The link works without logging in: the page changes nothing, the one-click POST turns mails off.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await api.getWith('/api/1/me/notification-preferences/', owner.headers)).json.digest).toBe(
      'hourly',
    );
    const done = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    expect((await api.getWith('/api/1/me/notification-preferences/', owner.headers)).json.digest).toBe('off');

    // A token bent to another user is refused.
    const [payload, mac] = new URL(link).searchParams.get('token')!.split('.');
    const other = Buffer.from(JSON.stringify({ u: visitor.id, p: 'unsubscribe-digest' })).toString(
      'base64url',
    );
    expect(payload).not.toBe(other);
    const forged = await api.post(`/api/1/notifications/unsubscribe/?token=${other}.${mac}`);
    expect(forged.status).toBe(400);

    // Once unsubscribed, later notifications stay in the inbox and are not mailed.
    const third = await createOrganization(owner);
    await api.post(`/api/1/organizations/${third.id}/membership/`, { comment: 'Again.' }, visitor.headers);
    await drained();
    await periodEnd();
    await runScheduled('digest');
    await drained();
    expect(digestsTo(owner.email)).toHaveLength(1);
    expect((await inbox(owner)).data.some((entry) => entry.details.subject.id === third.id)).toBe(true);
  });

  it('tells a dataset’s owner of a new discussion and of comments, and the activity stream shows it', async () => {
    const [owner, reuser] = await Promise.all([newUser(), newUser()]);
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Discuté'), description: 'Described.' },
      owner.headers,
    );
    const opened = await api.post(
      '/api/1/discussions/',
      {
        title: 'Une question',
        comment: 'Que veut dire cette colonne ?',
        subject: { class: 'Dataset', id: dataset.json.id },
      },
      reuser.headers,
    );
    expect(opened.status, opened.text).toBe(201);
    await drained();
    const told = (await inbox(owner)).data.filter((entry) => entry.kind === 'discussion');
    expect(told).toHaveLength(1);
    expect(told[0]!.details.subject).toMatchObject({ id: opened.json.id, title: 'Une question' });
    expect((await inbox(reuser)).data.some((entry) => entry.kind === 'discussion')).toBe(false);
    const activity = await api.get(`/api/1/activity/?related_to=${dataset.json.id}`);
    expect(activity.json.data[0]).toMatchObject({ key: 'dataset:discussed', actor: { id: reuser.id } });
  });

  it('tells the followers of a dataset that it changed, and not the producer who changed it', async () => {
    const [producer, follower] = await Promise.all([newUser(), newUser()]);
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Suivi'), description: 'Followed.' },
      producer.headers,
    );
    expect(dataset.status, dataset.text).toBe(201);
    const followed = await api.post(
      `/api/1/datasets/${dataset.json.id}/followers/`,
      undefined,
      follower.headers,
    );
    expect(followed.status, followed.text).toBe(201);
    await drained();
    const added = await api.post(
      `/api/1/datasets/${dataset.json.id}/resources/`,
      { title: 'Données 2026', url: 'https://example.org/2026.csv', filetype: 'remote' },
      producer.headers,
    );
    expect(added.status, added.text).toBe(201);
    await drained();

    const heard = await inbox(follower);
    expect(heard.data.map((notification) => notification.details.subject.id)).toContain(dataset.json.id);
    const own = await inbox(producer);
    expect(own.data.map((notification) => notification.details.subject.id)).not.toContain(dataset.json.id);
  });

  it('tells a follower nothing more of a dataset made private, while its organization’s editors and sysadmins still hear of it', async () => {
    const [producer, follower, editor, sysadmin] = await Promise.all([
      newUser(),
      newUser(),
      newUser(),
      newUser({ sysadmin: true }),
    ]);
    const organization = await createOrganization(producer);
    const joined = await api.post(
      `/api/1/organizations/${organization.id}/member/`,
      { user: editor.id, role: 'editor' },
      producer.headers,
    );
    expect(joined.status, joined.text).toBe(201);
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Bientôt privé'), description: 'Followed.', organization: organization.id },
      producer.headers,
    );
    expect(dataset.status, dataset.text).toBe(201);
    const id = dataset.json.id as string;
    for (const user of [follower, editor, sysadmin]) {
      const followed = await api.post(`/api/1/datasets/${id}/followers/`, undefined, user.headers);
      expect(followed.status, followed.text).toBe(201);
    }
    await drained();
    const before = (await inbox(follower)).total;
    const hidden = await api.put(`/api/1/datasets/${id}/`, { private: true }, producer.headers);
    expect(hidden.status, hidden.text).toBe(200);
    await drained();
    const renamed = await api.put(
      `/api/1/datasets/${id}/`,
      { title: 'Titre confidentiel' },
      producer.headers,
    );
    expect(renamed.status, renamed.text).toBe(200);
    const added = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'Ressource confidentielle', url: 'https://example.org/c.csv', filetype: 'remote' },
      producer.headers,
    );
    expect(added.status, added.text).toBe(201);
    await drained();

    // The follower can no longer read it, and hears nothing of it: no title, no resource.
    expect((await api.getWith(`/api/1/datasets/${id}/`, follower.headers)).status).toBe(404);
    const heard = await inbox(follower);
    expect(heard.total).toBe(before);
    expect(JSON.stringify(heard)).not.toMatch(/confidentiel/);
    // A member or a sysadmin who follows it still reads it, and still hears of it.
    for (const reader of [editor, sysadmin]) {
      const heardByReader = await inbox(reader);
      expect(heardByReader.data.map((notification) => notification.details.text).join(' ')).toMatch(
        /Ressource confidentielle/,
      );
    }
  });

  it('tells every member of an organization of a badge it is given, and no one else', async () => {
    const sysadmin = await newUser({ sysadmin: true });
    const organization = await createOrganization(admin);
    const given = await api.post(
      `/api/1/organizations/${organization.id}/badges/`,
      { kind: 'certified' },
      sysadmin.headers,
    );
    expect(given.status, given.text).toBe(201);
    await drained();
    const told = (await inbox(admin)).data.filter((entry) => entry.details.subject.id === organization.id);
    expect(told).toMatchObject([
      {
        kind: 'badge',
        details: { event: 'organization.badge.added', subject: { title: organization.name } },
      },
    ]);
    for (const user of [applicant, sysadmin])
      expect((await inbox(user)).data.some((entry) => entry.details.subject.id === organization.id)).toBe(
        false,
      );
  });

  it('asks sysadmins to validate a new harvest source, and tells its owner the answer', async () => {
    const [sysadmin, producer] = await Promise.all([newUser({ sysadmin: true }), newUser()]);
    const created = await api.post(
      '/api/1/harvest/sources/',
      { name: uniqueTitle('Catalogue'), url: 'https://catalogue.example.org/', backend: 'ckan' },
      producer.headers,
    );
    expect(created.status, created.text).toBe(201);
    const source = created.json.id as string;
    await drained();
    const asked = (await inbox(sysadmin)).data.filter((entry) => entry.details.subject.id === source);
    expect(asked).toMatchObject([
      {
        kind: 'harvest_source',
        details: { event: 'harvest.source.created', subject: { title: created.json.name } },
      },
    ]);
    for (const user of [producer, applicant])
      expect((await inbox(user)).data.some((entry) => entry.details.subject.id === source)).toBe(false);

    const refused = await api.post(
      `/api/1/harvest/source/${source}/validate/`,
      { state: 'refused', comment: 'Not open data.' },
      sysadmin.headers,
    );
    expect(refused.status, refused.text).toBe(200);
    await drained();
    const answered = (await inbox(producer)).data.filter((entry) => entry.details.subject.id === source);
    expect(answered).toMatchObject([
      {
        kind: 'harvest_source',
        details: { event: 'harvest.source.validated', text: expect.stringContaining('Not open data.') },
      },
    ]);
    expect((await inbox(applicant)).data.some((entry) => entry.details.subject.id === source)).toBe(false);
  });
});
