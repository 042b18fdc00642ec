import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { newUser } from './accounts';
import { api, drained, uniqueTitle } from './client';
import { localStore } from './local-store';

/** The file the platform's functions write their statistic lines to (stdout, so CloudWatch Logs, on AWS). */
const statisticsFile = () =>
  path.join(path.dirname(path.dirname(inject('eventsFile'))), 'logs', 'statistics.log');

async function metricsOf(id: string) {
  const metrics = await api.get(`/api/1/datasets/${id}/metrics/`);
  expect(metrics.status, metrics.text).toBe(200);
  return metrics.json as { views: number; resources: { id: string; downloads: number }[] };
}

/**
 * Reads and downloads are written as log lines on the request path and counted by the statistics
 * consumer through the log subscription, once per visit, whatever CloudWatch Logs delivers twice.
 */
describe('statistics from the log subscription', () => {
  it('count a read and a download after the drain, and a batch delivered again counts nothing twice', async () => {
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

    await drained();
    const counted = await metricsOf(id);
    expect(counted.views).toBe(1);
    expect(counted.resources).toEqual([expect.objectContaining({ id: rid, downloads: 1 })]);

    // The same batch delivered again (as CloudWatch Logs or a redrive may), straight to the consumer.
    await localStore();
    const { encodeLogsPayload } = await import('../functions/statistics/log-payload');
    const { handler } = await import('../functions/statistics/entry');
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
    const again = await metricsOf(id);
    expect(again.views).toBe(1);
    expect(again.resources).toEqual([expect.objectContaining({ id: rid, downloads: 1 })]);

    // A visit not seen yet does count (the consumer did run above), once however often it comes.
    const fresh = delivered.map((statistic) => ({
      ...statistic,
      data: { ...statistic.data, visit: `${statistic.data.visit.slice(0, 24)}another` },
    }));
    await handler(batch(fresh));
    await handler(batch(fresh));
    const after = await metricsOf(id);
    expect(after.views).toBe(2);
    expect(after.resources).toEqual([expect.objectContaining({ id: rid, downloads: 2 })]);
  });
});
