import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { newUser } from './accounts';
import { api, uniqueTitle } from './client';
import { localStore } from './local-store';

/** The file the platform's functions write their statistic lines to (stdout, so CloudWatch Logs, on AWS). */
const statisticsFile = () =>
  path.join(path.dirname(path.dirname(inject('eventsFile'))), 'logs', 'statistics.log');

interface Counts {
  views: number;
  downloads: number;
}

async function countsOf(id: string): Promise<Counts> {
  const metrics = await api.get(`/api/1/datasets/${id}/metrics/`);
  expect(metrics.status, metrics.text).toBe(200);
  const json = metrics.json as { views: number; resources: { downloads: number }[] };
  return { views: json.views, downloads: json.resources[0]?.downloads ?? 0 };
}

/** The counts once they reach `expected` (counted off the request path), or what they were at the deadline. */
async function countsReaching(id: string, expected: Counts, timeoutMs = 15_000): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await countsOf(id);
    if ((counts.views >= expected.views && counts.downloads >= expected.downloads) || Date.now() > deadline) {
      return counts;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Reads and downloads are written as log lines on the request path and counted by the statistics
 * consumer through the log subscription, once per visit, whatever CloudWatch Logs delivers twice.
 */
describe('statistics from the log subscription', () => {
  it('count a read and a download shortly after, and a batch delivered again counts nothing twice', async () => {
    // The consumer, called straight with a batch below, loaded while the platform works.
    const consumer = localStore().then(async () => ({
      ...(await import('../functions/statistics/log-payload')),
      ...(await import('../functions/statistics/entry')),
    }));
    const producer = await newUser();
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Statistics'), description: 'x' },
      producer.headers,
    );
    const id = created.json.id as string;
    const link = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'Counted link', url: 'https://example.org/counted.csv', filetype: 'remote' },
      producer.headers,
    );
    const rid = link.json.id as string;

    const download = await fetch(api.url(`/api/1/datasets/r/${rid}`), {
      redirect: 'manual',
      headers: { 'user-agent': 'statistics-downloader' },
    });
    expect(download.status).toBe(302);
    const read = await fetch(api.url(`/api/1/datasets/${id}/`), {
      headers: { 'user-agent': 'statistics-reader' },
    });
    expect(read.status).toBe(200);
    // Each answered with one line in the log, not a write to the table or the bus.
    const lines = readFileSync(statisticsFile(), 'utf8')
      .split('\n')
      .filter((line) => line.includes(id))
      .map((line) => JSON.parse(line) as { statistic: { type: string; data: { visit: string } } });
    expect(lines.map((line) => line.statistic.type).sort()).toEqual([
      'dataset.resource.downloaded',
      'dataset.viewed',
    ]);

    // Waits for these counts only (a drain of the whole platform, which test/metrics.test.ts uses,
    // would also wait for what other test files do meanwhile).
    expect(await countsReaching(id, { views: 1, downloads: 1 })).toEqual({ views: 1, downloads: 1 });

    // The same batch delivered again (as CloudWatch Logs or a redrive may), straight to the consumer.
    const { encodeLogsPayload, handler } = await consumer;
    const batch = (statistics: unknown[]) =>
      encodeLogsPayload({
        messageType: 'DATA_MESSAGE',
        owner: '000000000000',
        logGroup: 'statistics-test',
        logStream: 'test',
        subscriptionFilters: ['statistics'],
        logEvents: statistics.map((statistic, index) => ({
          id: String(index),
          timestamp: Date.now(),
          message: JSON.stringify({ statistic }),
        })),
      });
    const delivered = lines.map((line) => line.statistic);
    await handler(batch(delivered));
    await handler(batch(delivered));
    expect(await countsOf(id)).toEqual({ views: 1, downloads: 1 });

    // A visit not seen yet does count (the consumer did run above), once however often it comes.
    const fresh = delivered.map((statistic) => ({
      ...statistic,
      data: { ...statistic.data, visit: `${statistic.data.visit.slice(0, 24)}another` },
    }));
    await handler(batch(fresh));
    await handler(batch(fresh));
    expect(await countsOf(id)).toEqual({ views: 2, downloads: 2 });
  });
});
