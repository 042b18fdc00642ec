import type { Platform } from '@portail/local/platform';
import { benchPublisher } from './bench-user';
import { createHttpClient } from './http-client';

export interface ParallelWritersResult {
  datasets: number;
  creators: number;
  taggers: number;
  api: { seconds: number; createsPerSecond: number; updates: number; failed: number; failures: string[] };
  raw: { seconds: number; createsPerSecond: number };
  ratio: number;
  drainSeconds: number;
  totalAfterDrain: number;
}

/** Runs `count` jobs on `parallel` workers, each taking the next job when its last is done. */
async function pool(count: number, parallel: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

/**
 * A busy organization: `creators` parallel writers create `datasets` datasets in it through the local
 * API while `taggers` others keep replacing the tags of datasets already created. Every request must
 * succeed (no write collides on a shared item). The baseline, in the same run and the same DynamoDB
 * Local: the same number of creations, as raw TransactWriteItems of the same dataset items (dataset,
 * views, outbox event, slug; no counters) by the same number of writers, through the store alone.
 *
 * The two alternate in `rounds` (API then raw, raw then API...), each starting once the platform has
 * settled from the one before (not timed): on a shared machine, load that comes and goes falls on both.
 */
export async function measureParallelWriters(
  platform: Platform,
  options: {
    datasets: number;
    creators: number;
    taggers: number;
    rounds?: number;
    log: (line: string) => void;
  },
): Promise<ParallelWritersResult> {
  const headers = await benchPublisher(platform);
  const admin = createHttpClient(platform.apiUrl, headers);
  const created = await admin.request('POST', '/api/1/organizations/', {
    name: `Bench org ${Date.now().toString(36)}`,
    description: 'Publishes a lot, from many writers at once.',
  });
  if (created.status !== 201) throw new Error(`creating the organization: ${created.status} ${created.body}`);
  const org = JSON.parse(created.body) as { id: string; slug: string };
  const run = Date.now().toString(36);
  const rounds = Math.max(1, options.rounds ?? 4);

  const ids: string[] = [];
  const failures: string[] = [];
  let updates = 0;
  const creators = Array.from({ length: options.creators }, () => createHttpClient(platform.apiUrl, headers));
  const taggers = Array.from({ length: options.taggers }, () => createHttpClient(platform.apiUrl, headers));
  let worker = 0;

  /** Through the API: creators and taggers at once, each on its own kept-alive connection. */
  async function apiRound(from: number, count: number): Promise<number> {
    let creating = true;
    const started = performance.now();
    const tagging = Promise.all(
      taggers.map(async (client, index) => {
        // Each tagger edits its own share of the datasets (those whose position ≡ its number): writers
        // contend on shared items, not on one dataset that eight people edit at the same instant.
        while (creating) {
          const own = Math.floor(ids.length / taggers.length);
          if (own < 2) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            continue;
          }
          const id = ids[Math.floor(Math.random() * own) * taggers.length + index]!;
          const answer = await client.request('PUT', `/api/1/datasets/${id}/`, {
            tags: [`tagger-${index}`, `round-${updates % 7}`],
          });
          if (answer.status === 200) updates += 1;
          else failures.push(`PUT ${answer.status} ${answer.body.slice(0, 200)}`);
        }
      }),
    );
    await pool(count, options.creators, async (index) => {
      const client = creators[worker++ % creators.length]!;
      const answer = await client.request('POST', '/api/1/datasets/', {
        title: `Parallel ${run} ${from + index}`,
        description: 'Written by one of many writers.',
        organization: org.id,
        tags: ['bench'],
      });
      if (answer.status === 201) ids.push((JSON.parse(answer.body) as { id: string }).id);
      else failures.push(`POST ${answer.status} ${answer.body.slice(0, 200)}`);
    });
    const seconds = (performance.now() - started) / 1000;
    creating = false;
    await tagging;
    return seconds;
  }

  // The baseline: the same dataset items, written by the store's own TransactWriteItems.
  const store = await import('@portail/store');
  const core = await import('@portail/core');
  const organization = await store.findOrganizationById(org.id);
  if (!organization) throw new Error('the bench organization vanished');
  const publisher = core.organizationPublisher(organization);
  const actor = { kind: 'anonymous' } as const;
  async function rawRound(from: number, count: number): Promise<number> {
    const started = performance.now();
    await pool(count, options.creators, async (index) => {
      const input = core.DatasetCreateInputSchema.parse({
        title: `Raw ${run} ${from + index}`,
        description: 'Written by one of many writers.',
        organization: org.id,
        tags: ['bench'],
      });
      await store.createDataset(input, publisher, actor);
    });
    return (performance.now() - started) / 1000;
  }

  options.log(
    `parallel writers: ${options.creators} creating ${options.datasets} datasets (${options.taggers} tagging alongside), against raw TransactWriteItems, in ${rounds} alternating rounds…`,
  );
  let apiSeconds = 0;
  let rawSeconds = 0;
  let drainSeconds = 0;
  for (let round = 0; round < rounds; round++) {
    const from = Math.floor((options.datasets * round) / rounds);
    const count = Math.floor((options.datasets * (round + 1)) / rounds) - from;
    const order = round % 2 === 0 ? (['api', 'raw'] as const) : (['raw', 'api'] as const);
    for (const path of order) {
      if (path === 'api') {
        apiSeconds += await apiRound(from, count);
        // Totals are folded from the stream: exact once it has drained.
        const drainStarted = performance.now();
        await platform.drainEvents();
        drainSeconds = Math.max(drainSeconds, (performance.now() - drainStarted) / 1000);
      } else {
        rawSeconds += await rawRound(from, count);
        await platform.drainEvents();
      }
    }
    options.log(`parallel writers: round ${round + 1} of ${rounds} done`);
  }
  // Both paths created their datasets in the organization: its total counts them all.
  const listed = await admin.request('GET', `/api/1/organizations/${org.id}/datasets/?page_size=1`);
  const totalAfterDrain = (JSON.parse(listed.body) as { total: number }).total;

  const createsPerSecond = options.datasets / apiSeconds;
  const rawPerSecond = options.datasets / rawSeconds;
  return {
    datasets: options.datasets,
    creators: options.creators,
    taggers: options.taggers,
    api: {
      seconds: apiSeconds,
      createsPerSecond,
      updates,
      failed: failures.length,
      failures: failures.slice(0, 5),
    },
    raw: { seconds: rawSeconds, createsPerSecond: rawPerSecond },
    ratio: createsPerSecond / rawPerSecond,
    drainSeconds,
    totalAfterDrain,
  };
}
