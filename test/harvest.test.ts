/**
 * Harvesting as a producer and a sysadmin see it: a CKAN catalogue served on a local port, registered,
 * accepted, run page by page, run again, changed between runs, pages failing.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { type CkanCatalogue, ckanPackage, serveCkanCatalogue } from './ckan-catalogue';
import { api, type BusEvent, busEvents, drained, runScheduled, uniqueTitle } from './client';
import { finishedJob } from './harvest-jobs';
import { localStore } from './local-store';

let producer: TestUser;
let sysadmin: TestUser;
const catalogues: CkanCatalogue[] = [];

beforeAll(async () => {
  [producer, sysadmin] = await Promise.all([newUser(), newUser({ sysadmin: true })]);
});

afterAll(async () => {
  await moveClock(0);
  await Promise.all(catalogues.map((catalogue) => catalogue.stop()));
});

async function moveClock(offsetMs: number) {
  const response = await fetch(`${inject('controlUrl')}/clock?offset_ms=${offsetMs}`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`moving the clock failed: ${response.status}`);
}

async function catalogueOf(count: number, prefix: string): Promise<CkanCatalogue> {
  const catalogue = await serveCkanCatalogue(
    Array.from({ length: count }, (_, index) => ckanPackage(index, prefix)),
  );
  catalogues.push(catalogue);
  return catalogue;
}

async function register(url: string, by = producer) {
  const response = await api.post(
    '/api/1/harvest/sources/',
    { name: uniqueTitle('Catalogue'), url, backend: 'ckan', description: 'Un portail CKAN.' },
    by.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json.id as string;
}

async function accept(source: string) {
  const response = await api.post(
    `/api/1/harvest/source/${source}/validate/`,
    { state: 'accepted' },
    sysadmin.headers,
  );
  expect(response.status, response.text).toBe(200);
  return finished(response.json.health.running_job);
}

async function run(source: string) {
  const response = await api.post(`/api/1/harvest/source/${source}/run/`, undefined, producer.headers);
  expect(response.status, response.text).toBe(202);
  return finished(response.json.id);
}

async function items(job: string, status?: string) {
  const found = [];
  let next: string | null =
    `/api/1/harvest/job/${job}/items/?page_size=100${status ? `&status=${status}` : ''}`;
  while (next) {
    const page = await api.get(next.replace(inject('apiUrl'), ''));
    expect(page.status, page.text).toBe(200);
    found.push(...page.json.data);
    next = page.json.next_page;
  }
  return found;
}

/** The job once it has ended (its events relayed), polled as an operator would, within a deadline. */
async function finished(job: string) {
  const ended = await finishedJob(job);
  await drained();
  return ended;
}

/**
 * The events a job's writes announced, each once: the relay delivers at least once (a batch it is handed
 * again after a failure is put on the bus again, with the same event ids), as consumers expect.
 */
function harvesterEvents(job: string) {
  const byId = new Map<string, BusEvent>();
  for (const event of busEvents())
    if ((event.detail as { actor?: { job?: string } }).actor?.job === job) byId.set(event.detail.id, event);
  return [...byId.values()];
}

describe('a CKAN source, from registration to a second run', { timeout: 180_000 }, () => {
  let catalogue: CkanCatalogue;
  let source: string;
  let first: Record<string, unknown> & { id: string; counts: Record<string, number> };

  beforeAll(async () => {
    catalogue = await catalogueOf(
      130,
      uniqueTitle('ckan')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    );
    source = await register(catalogue.url);
  });

  it('is pending until a sysadmin accepts it; accepting schedules it and runs it', async () => {
    const pending = await api.get(`/api/1/harvest/source/${source}/`);
    expect(pending.json.validation.state).toBe('pending');
    expect(pending.json.health.state).toBe('pending');
    first = await accept(source);
    expect(first.status).toBe('done');
    expect(first.counts).toEqual({
      created: 130,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      archived: 0,
    });
    expect(first.progress).toMatchObject({
      pages_listed: 2,
      pages_done: 2,
      pages_failed: 0,
      listing_done: true,
    });
    expect(first.listing_complete).toBe(true);
    expect(first.remote_total).toBe(130);
    const read = await api.get(`/api/1/harvest/source/${source}/`);
    expect(read.json.schedule).toBe('cron(0 0 * * ? *)');
    expect(read.json.health).toMatchObject({ state: 'ok', listing_complete: true, running_job: null });
    expect(read.json.health.next_run).not.toBeNull();
  });

  it('creates the datasets with their resources and the harvest block, announced as the harvester', async () => {
    const created = await items(first.id, 'done');
    expect(created).toHaveLength(130);
    // Each item says its dataset was created and names it (the item is written with the dataset).
    expect(created.every((item) => item.action === 'created' && item.dataset?.id)).toBe(true);
    expect(new Set(created.map((item) => item.dataset.id)).size).toBe(130);
    const dataset = await api.get(`/api/1/datasets/${created[0].dataset.id}/`);
    expect(dataset.status).toBe(200);
    expect(dataset.json.harvest).toMatchObject({
      backend: 'ckan',
      source_id: source,
      remote_id: created[0].remote_id,
    });
    expect(dataset.json.resources).toHaveLength(1);
    expect(dataset.json.resources[0].url).toMatch(/\.csv$/);
    expect(dataset.json.owner.id).toBe(producer.id);
    const events = harvesterEvents(first.id).filter((event) => event['detail-type'] === 'dataset.created');
    expect(events).toHaveLength(130);
  });

  it('writes nothing on a second run over an unchanged catalogue', async () => {
    const second = await run(source);
    expect(second.counts).toEqual({
      created: 0,
      updated: 0,
      unchanged: 130,
      skipped: 0,
      failed: 0,
      archived: 0,
    });
    expect(
      harvesterEvents(second.id).filter((event) => event['detail-type'].startsWith('dataset.')),
    ).toHaveLength(0);
  });

  it('updates what changed, creates what is new, and reports broken records on their items', async () => {
    catalogue.packages[0] = { ...catalogue.packages[0]!, title: 'Titre changé' };
    catalogue.packages.push(ckanPackage(900, 'zzz-nouveau'));
    catalogue.packages.push({ ...ckanPackage(901, 'zzz-sans-ressource'), resources: [] });
    catalogue.packages.push({ ...ckanPackage(902, 'zzz-casse'), resources: 'pas une liste' } as never);
    const job = await run(source);
    expect(job.counts).toMatchObject({ created: 1, updated: 1, unchanged: 129 });
    // A record without resources and one whose resources are not a list: neither is written, each says why.
    expect(job.counts.skipped + job.counts.failed).toBe(2);
    expect(job.status).toBe(job.counts.failed > 0 ? 'done-errors' : 'done');
    const refused = [...(await items(job.id, 'failed')), ...(await items(job.id, 'skipped'))];
    expect(refused.map((item) => item.remote_id).sort()).toEqual([
      'zzz-casse-000902',
      'zzz-sans-ressource-000901',
    ]);
    for (const item of refused) expect(item.errors[0].message.length).toBeGreaterThan(0);
    const updated = (await items(job.id, 'done')).find((item) => item.action === 'updated');
    const dataset = await api.get(`/api/1/datasets/${updated.dataset.id}/`);
    expect(dataset.json.title).toBe('Titre changé');
  });

  it('archives a dataset gone from the remote only after the grace period, and brings it back', async () => {
    const gone = catalogue.packages.shift()!;
    const noted = await run(source);
    expect(noted.counts.archived).toBe(0);
    await moveClock(8 * 86_400_000);
    try {
      const later = await run(source);
      expect(later.counts.archived).toBe(1);
      const archivedItem = (await items(later.id, 'archived'))[0];
      const dataset = await api.get(`/api/1/datasets/${archivedItem.dataset.id}/`);
      expect(dataset.json.archived).not.toBeNull();
      expect(dataset.json.harvest.archived).toBe('not-on-remote');

      catalogue.packages.unshift(gone);
      const back = await run(source);
      expect(back.counts.updated).toBe(1);
      const again = await api.get(`/api/1/datasets/${archivedItem.dataset.id}/`);
      expect(again.json.archived).toBeNull();
      expect(again.json.harvest.archived).toBeNull();
    } finally {
      await moveClock(0);
    }
  });
});

describe('pages that fail', { timeout: 180_000 }, () => {
  it('retries a failed page alone and completes the listing', async () => {
    const catalogue = await catalogueOf(
      110,
      uniqueTitle('retry')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    );
    catalogue.failingStarts.set(100, 1);
    const source = await register(catalogue.url);
    const job = await accept(source);
    expect(job.status).toBe('done');
    expect(job.counts.created).toBe(110);
    expect(catalogue.requests.filter((start) => start === 0)).toHaveLength(1);
    expect(catalogue.requests.filter((start) => start === 100)).toHaveLength(2);
  });

  it('reports a page that keeps failing, and archives nothing after an incomplete listing', async () => {
    const catalogue = await catalogueOf(
      130,
      uniqueTitle('broken')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    );
    const source = await register(catalogue.url);
    await accept(source);
    catalogue.packages.splice(0, 10);
    catalogue.failingStarts.set(100, Number.POSITIVE_INFINITY);
    await moveClock(30 * 86_400_000);
    try {
      const job = await run(source);
      expect(job.status).toBe('done-errors');
      expect(job.listing_complete).toBe(false);
      expect(job.truncated).toMatch(/Page 2 could not be read/);
      expect(job.counts.archived).toBe(0);
      const read = await api.get(`/api/1/harvest/source/${source}/`);
      expect(read.json.health).toMatchObject({ state: 'errors', listing_complete: false });
      expect(read.json.last_job.errors[0]).toMatch(/500/);
    } finally {
      await moveClock(0);
    }
  });

  it('fails the job with a readable error when the source is unreachable', async () => {
    const source = await register('http://127.0.0.1:9/');
    const job = await accept(source);
    expect(job.status).toBe('failed');
    expect(job.errors[0].message).toMatch(/could not be read/);
  });
});

describe('operators', { timeout: 180_000 }, () => {
  it('a sysadmin pauses every harvester at once, then resumes them', async () => {
    const catalogue = await catalogueOf(
      5,
      uniqueTitle('pause')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    );
    const source = await register(catalogue.url);
    await accept(source);
    const paused = await api.put(
      '/api/1/harvest/pause/',
      { paused: true, comment: 'maintenance' },
      sysadmin.headers,
    );
    expect(paused.status).toBe(200);
    try {
      const refused = await api.post(`/api/1/harvest/source/${source}/run/`, undefined, producer.headers);
      expect(refused.status).toBe(409);
      expect(refused.json.detail).toMatch(/maintenance/);
    } finally {
      await api.put('/api/1/harvest/pause/', { paused: false }, sysadmin.headers);
    }
    const resumed = await api.post(`/api/1/harvest/source/${source}/run/`, undefined, producer.headers);
    expect(resumed.status).toBe(202);
    expect((await finishedJob(resumed.json.id)).status).toBe('done');
  });

  it('fails a run whose steps stopped, frees its source, and a late step changes nothing', async () => {
    const catalogue = await catalogueOf(
      3,
      uniqueTitle('arret')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    );
    let release: () => void = () => undefined;
    catalogue.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const source = await register(catalogue.url);
    const accepted = await api.post(
      `/api/1/harvest/source/${source}/validate/`,
      { state: 'accepted' },
      sysadmin.headers,
    );
    const job = accepted.json.health.running_job as string;
    const deadline = Date.now() + 30_000;
    while (catalogue.requests.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(catalogue.requests).toHaveLength(1);
    // What a run started two hours ago whose step crashed leaves: a job nothing has moved on since.
    const store = await localStore();
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName(),
        Key: store.keys.harvestJob(job),
        UpdateExpression: 'SET updated = :then, started = :then, created = :then, GSI3SK = :running',
        ExpressionAttributeValues: { ':then': twoHoursAgo, ':running': `${twoHoursAgo}#${job}` },
      }),
    );
    expect((await api.get(`/api/1/harvest/job/${job}/`)).json.status).toBe('processing');
    await runScheduled('harvest-tick');
    const failed = await api.get(`/api/1/harvest/job/${job}/`);
    expect(failed.json.status).toBe('failed');
    expect(failed.json.errors.at(-1).message).toMatch(/stopped/);
    const read = await api.get(`/api/1/harvest/source/${source}/`);
    expect(read.json.health).toMatchObject({ state: 'failed', running_job: null });
    expect(read.json.last_job.errors.at(-1)).toMatch(/stopped/);
    // The step that was waiting gets its page at last: the failed job takes nothing from it.
    release();
    catalogue.hold = null;
    const again = await run(source);
    expect(again.counts.created).toBe(3);
    const still = await api.get(`/api/1/harvest/job/${job}/`);
    expect(still.json).toMatchObject({ status: 'failed', counts: { created: 0 } });
  });

  it('writes a dataset with more resources than one transaction holds, and updates them', async () => {
    const prefix = uniqueTitle('grand')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-');
    const catalogue = await catalogueOf(1, prefix);
    const resources = (count: number, version: string) =>
      Array.from({ length: count }, (_, index) => ({
        id: `${prefix}-res-${index}`,
        url: `https://donnees.example/${prefix}/${index}.csv`,
        name: `Fichier ${index} ${version}`,
        format: 'CSV',
      }));
    catalogue.packages[0] = { ...catalogue.packages[0]!, resources: resources(60, 'v1') };
    const source = await register(catalogue.url);
    const first = await accept(source);
    expect(first.counts).toMatchObject({ created: 1, failed: 0 });
    const [item] = await items(first.id, 'done');
    const created = await api.get(`/api/1/datasets/${item.dataset.id}/`);
    expect(created.json.resources).toHaveLength(60);
    // 40 titles changed, 10 resources gone, 15 new: 65 resource writes in one update.
    catalogue.packages[0] = {
      ...catalogue.packages[0]!,
      resources: [...resources(40, 'v2'), ...resources(50, 'v1').slice(40), ...resources(75, 'v1').slice(60)],
    };
    const second = await run(source);
    expect(second.counts).toMatchObject({ updated: 1, failed: 0 });
    const updated = await api.get(`/api/1/datasets/${item.dataset.id}/`);
    expect(updated.json.resources).toHaveLength(65);
    expect(
      updated.json.resources.filter((resource: { title: string }) => resource.title.endsWith('v2')),
    ).toHaveLength(40);
    const third = await run(source);
    expect(third.counts).toMatchObject({ unchanged: 1, updated: 0 });
  });

  it('previews the first items mapped, writing nothing', async () => {
    const catalogue = await catalogueOf(
      30,
      uniqueTitle('apercu')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    );
    const source = await register(catalogue.url);
    const preview = await api.getWith(`/api/1/harvest/source/${source}/preview/`, producer.headers);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.items).toHaveLength(20);
    expect(preview.json.items[0]).toMatchObject({ status: 'done', resources: 1 });
    expect(preview.json.remote_total).toBe(30);
    const jobs = await api.get(`/api/1/harvest/source/${source}/jobs/`);
    expect(jobs.json.total).toBe(0);
  });

  it('answers a 400 on url saying why when the catalogue of a saved source cannot be read, as the unsaved preview does', async () => {
    // A host that does not resolve: the remote is unreadable, the platform is fine.
    const url = 'https://catalogue.invalid/';
    const source = await register(url);
    const saved = await api.getWith(`/api/1/harvest/source/${source}/preview/`, producer.headers);
    const unsaved = await api.post(
      '/api/1/harvest/source/preview/',
      { name: 'Aperçu', url, backend: 'ckan' },
      producer.headers,
    );
    for (const preview of [saved, unsaved]) {
      expect(preview.status, preview.text).toBe(400);
      expect(preview.headers.get('content-type')).toContain('application/problem+json');
      expect(preview.json.errors.url.join(' ')).toMatch(/could not be read.*catalogue\.invalid/);
    }
  });

  it('answers bad input with 400s naming the field', async () => {
    const catalogue = await catalogueOf(1, 'entrees');
    const cases: [string, unknown][] = [
      ['backend', { name: 'x', url: catalogue.url, backend: 'csw' }],
      ['url', { name: 'x', url: 'ftp://example.org/', backend: 'ckan' }],
      [
        'config',
        {
          name: 'x',
          url: catalogue.url,
          backend: 'ckan',
          config: { filters: [{ key: 'nope', value: 'x' }] },
        },
      ],
      ['config', { name: 'x', url: catalogue.url, backend: 'ckan', config: 'texte' }],
      ['name', { url: catalogue.url, backend: 'ckan' }],
    ];
    for (const [field, body] of cases) {
      const response = await api.post('/api/1/harvest/sources/', body, producer.headers);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(response.json.errors)).toContain(field);
    }
    const source = await register(catalogue.url);
    const refusal = await api.post(
      `/api/1/harvest/source/${source}/validate/`,
      { state: 'refused' },
      sysadmin.headers,
    );
    expect(refusal.status).toBe(400);
    expect(refusal.json.errors.comment).toBeDefined();
    const badStatus = await api.get(`/api/1/harvest/job/000000000000000000000000/items/?status=nope`);
    expect(badStatus.status).toBe(400);
    const notAccepted = await api.post(`/api/1/harvest/source/${source}/run/`, undefined, producer.headers);
    expect(notAccepted.status).toBe(400);
  });

  it('refuses a change leaving a config its backend does not understand, as at registration', async () => {
    const source = await register('https://ckan.example.org/');
    const path = `/api/1/harvest/source/${source}/`;
    const ckanFilter = { filters: [{ key: 'organization', value: 'mairie' }] };
    expect((await api.put(path, { config: ckanFilter }, producer.headers)).status).toBe(200);
    for (const body of [
      { config: { filters: [{ key: 'nope', value: 'x' }] } },
      { config: { features: { nope: true } } },
      // The backend alone changed: the filters kept are ones the new backend does not know.
      { backend: 'dcat' },
    ]) {
      const response = await api.put(path, body, producer.headers);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(Object.keys(response.json.errors)).toContain('config');
    }
    const kept = await api.get(path);
    expect(kept.json).toMatchObject({ backend: 'ckan', config: { filters: [{ key: 'organization' }] } });
    // Both changed together into a config the new backend understands: accepted.
    const moved = await api.put(path, { backend: 'dcat', config: { filters: [] } }, producer.headers);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json.backend).toBe('dcat');
  });
});

describe('schedules and unsaved previews', { timeout: 60_000 }, () => {
  it('a sysadmin schedules a source with udata’s crontab, then unschedules it', async () => {
    const catalogue = await catalogueOf(1, 'horaire');
    const source = await register(catalogue.url);
    const path = `/api/1/harvest/source/${source}/schedule/`;
    // Pending: the schedule is kept for its acceptance, with no next run yet.
    const pending = await api.post(path, JSON.stringify('0 3 * * 1'), sysadmin.headers);
    expect(pending.status, pending.text).toBe(200);
    expect(pending.json).toMatchObject({ schedule: 'cron(0 3 ? * 2 *)', health: { next_run: null } });
    // Refused while inactive, so no run starts; accepted, it keeps the schedule it was given.
    expect(
      (await api.put(`/api/1/harvest/source/${source}/`, { active: false }, producer.headers)).status,
    ).toBe(200);
    const accepted = await api.post(
      `/api/1/harvest/source/${source}/validate/`,
      { state: 'accepted' },
      sysadmin.headers,
    );
    expect(accepted.json.schedule).toBe('cron(0 3 ? * 2 *)');
    // udata's unquoted form, as text.
    const text = await api.post(path, '30 2 * * *', { ...sysadmin.headers, 'content-type': 'text/plain' });
    expect(text.status, text.text).toBe(200);
    expect(text.json.schedule).toBe('cron(30 2 * * ? *)');
    const nextRun = new Date(text.json.health.next_run);
    expect(nextRun.getUTCHours() * 60 + nextRun.getUTCMinutes()).toBe(150);

    const unscheduled = await api.delete(path, sysadmin.headers);
    expect(unscheduled.status, unscheduled.text).toBe(204);
    const after = await api.get(`/api/1/harvest/source/${source}/`);
    expect(after.json).toMatchObject({ schedule: null, health: { next_run: null } });
    const again = await api.delete(path, sysadmin.headers);
    expect(again.status).toBe(400);
    expect(again.json.message).toMatch(/not scheduled/);
  });

  it('starts a run when the schedule’s message reaches the step queue, as EventBridge Scheduler sends it', async () => {
    const source = await register((await catalogueOf(2, 'planifie')).url);
    const scheduled = await api.post(
      `/api/1/harvest/source/${source}/schedule/`,
      JSON.stringify('0 3 * * *'),
      sysadmin.headers,
    );
    expect(scheduled.status, scheduled.text).toBe(200);
    const first = await accept(source);
    expect(first.counts).toMatchObject({ created: 2 });
    const queueUrl = inject('harvestStepsQueueUrl');
    const sqs = new SQSClient({
      endpoint: new URL(queueUrl).origin,
      region: 'eu-west-3',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    // The target input of the source's schedule (functions/harvest-runs/source-schedules.ts).
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ kind: 'scheduled', source }),
      }),
    );
    sqs.destroy();
    const deadline = Date.now() + 15_000;
    let started: { id: string; trigger: string } | undefined;
    while (!started && Date.now() < deadline) {
      const jobs = await api.get(`/api/1/harvest/source/${source}/jobs/`);
      started = jobs.json.data.find((job: { id: string }) => job.id !== first.id);
      if (!started) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(started, 'a run started by the scheduled message').toBeDefined();
    expect(started!.trigger).toBe('scheduled');
    const second = await finished(started!.id);
    expect(second.counts).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('refuses a schedule it cannot run, naming why', async () => {
    const source = await register((await catalogueOf(1, 'horaire-faux')).url);
    const path = `/api/1/harvest/source/${source}/schedule/`;
    for (const [body, reason] of [
      [JSON.stringify('0 0 * *'), /crontab/],
      [JSON.stringify('61 0 * * *'), /minute/],
      [JSON.stringify('0 0 1 * 1'), /not both/],
      [JSON.stringify({ cron: '0 0 * * *' }), /string/],
      [JSON.stringify(12), /string/],
    ] as const) {
      const response = await api.post(path, body, sysadmin.headers);
      expect(response.status, body).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.json.message).toMatch(reason);
    }
    const html = await api.post(path, '0 0 * * *', { ...sysadmin.headers, 'content-type': 'text/html' });
    expect(html.status).toBe(415);
    expect((await api.post(path, JSON.stringify('0 0 * * *'), producer.headers)).status).toBe(403);
  });

  it('previews an unsaved source, writing nothing', async () => {
    const catalogue = await catalogueOf(
      25,
      uniqueTitle('brouillon')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    );
    const before = await api.get(`/api/1/harvest/sources/?owner=${producer.id}`);
    const preview = await api.post(
      '/api/1/harvest/source/preview/',
      { name: 'Pas encore enregistré', url: catalogue.url, backend: 'ckan' },
      producer.headers,
    );
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.items).toHaveLength(20);
    expect(preview.json.items[0]).toMatchObject({ status: 'done', resources: 1 });
    expect(preview.json.remote_total).toBe(25);
    const after = await api.get(`/api/1/harvest/sources/?owner=${producer.id}`);
    expect(after.json.total).toBe(before.json.total);
  });

  it('reads an unsaved source through the same address rules as runs', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/catalogue']) {
      const response = await api.post(
        '/api/1/harvest/source/preview/',
        { name: 'Interne', url, backend: 'dcat' },
        producer.headers,
      );
      expect(response.status, response.text).toBe(400);
      expect(Object.keys(response.json.errors)).toContain('url');
    }
    const unknown = await api.post(
      '/api/1/harvest/source/preview/',
      { name: 'x', url: 'https://example.org/', backend: 'csw' },
      producer.headers,
    );
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.json.errors)).toContain('backend');
    expect(
      (
        await api.post('/api/1/harvest/source/preview/', {
          name: 'x',
          url: 'https://example.org/',
          backend: 'ckan',
        })
      ).status,
    ).toBe(401);
  });
});

describe('new datasets written several to a transaction', { timeout: 120_000 }, () => {
  it('gives records of one title distinct slugs, and one whose slug is taken a suffix', async () => {
    const prefix = uniqueTitle('homonymes')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-');
    const title = `Même titre ${prefix}`;
    // A dataset already holds the title's slug: the group holding it is refused and written one by one.
    const taken = await api.post('/api/1/datasets/', { title, description: 'Déjà là.' }, producer.headers);
    expect(taken.status, taken.text).toBe(201);
    const catalogue = await serveCkanCatalogue([
      ...Array.from({ length: 4 }, (_, index) => ({ ...ckanPackage(index, prefix), title })),
      ...Array.from({ length: 6 }, (_, index) => ckanPackage(index + 4, prefix)),
    ]);
    catalogues.push(catalogue);
    const source = await register(catalogue.url);
    const job = await accept(source);
    expect(job.counts).toMatchObject({ created: 10, failed: 0 });
    const done = await items(job.id, 'done');
    const slugs = await Promise.all(
      done.map(async (item) => (await api.get(`/api/1/datasets/${item.dataset.id}/`)).json.slug as string),
    );
    expect(new Set([...slugs, taken.json.slug]).size).toBe(11);
    expect(
      harvesterEvents(job.id).filter((event) => event['detail-type'] === 'dataset.created'),
    ).toHaveLength(10);
  });
});
