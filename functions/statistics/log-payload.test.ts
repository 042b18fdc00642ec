import { gzipSync } from 'node:zlib';
import { buildEvent } from '@portail/store';
import { describe, expect, it } from 'vitest';
import { decodeLogsPayload, encodeLogsPayload, type LogsData, statisticsIn } from './log-payload';

const now = new Date('2026-03-14T10:00:00Z');
const viewed = buildEvent('dataset.viewed', { class: 'Dataset', id: 'd1' }, { kind: 'anonymous' }, now, {
  visit: 'v1',
});
const downloaded = buildEvent(
  'dataset.resource.downloaded',
  { class: 'Dataset', id: 'd1' },
  { kind: 'anonymous' },
  now,
  { resource: 'r1', community: false, visit: 'v2' },
);
const deleted = buildEvent('dataset.deleted', { class: 'Dataset', id: 'd1' }, { kind: 'anonymous' }, now);

function batch(messages: string[]): LogsData {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: 'Portail-ApiDatasetsLogs-ABC',
    logStream: '2026/03/14/[$LATEST]abc',
    subscriptionFilters: ['statistics-from-datasets'],
    logEvents: messages.map((message, index) => ({ id: String(index), timestamp: now.getTime(), message })),
  };
}

describe('CloudWatch Logs subscription payloads', () => {
  it('survive the base64 gzip round trip as CloudWatch Logs sends them', () => {
    const data = batch([JSON.stringify({ statistic: viewed })]);
    const payload = encodeLogsPayload(data);
    // What Lambda receives: `{awslogs: {data}}`, the data not readable JSON.
    expect(Object.keys(payload)).toEqual(['awslogs']);
    expect(() => JSON.parse(payload.awslogs.data)).toThrow();
    expect(decodeLogsPayload(JSON.parse(JSON.stringify(payload)))).toEqual(data);
  });

  it('decode a payload gzipped by another encoder (a line as Lambda writes it, with its newline)', () => {
    const raw = JSON.stringify(batch([`${JSON.stringify({ statistic: downloaded })}\n`]));
    const decoded = decodeLogsPayload({ awslogs: { data: gzipSync(Buffer.from(raw)).toString('base64') } });
    expect(statisticsIn(decoded)).toEqual({ statistics: [downloaded], ignored: [] });
  });

  it('keep the statistics of a batch and ignore, each with why, every line that holds none', () => {
    const { statistics, ignored } = statisticsIn(
      batch([
        JSON.stringify({ statistic: viewed }),
        'START RequestId: 4f1c Version: $LATEST',
        JSON.stringify({ level: 'INFO', message: 'request', statistic: 'not an event' }),
        JSON.stringify({ statistic: deleted }),
        JSON.stringify({ statistic: { ...downloaded, data: { resource: 'r1', visit: 'v2' } } }),
        JSON.stringify({ level: 'WARN', message: 'something else' }),
        JSON.stringify({ statistic: downloaded }),
      ]),
    );
    expect(statistics).toEqual([viewed, downloaded]);
    expect(ignored.map((line) => line.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(ignored[0]!.reason).toBe('not JSON');
    expect(ignored[2]!.reason).toContain('not a statistic event type');
    expect(ignored[3]!.reason).toContain('community');
  });

  it('hold nothing in the control message sent when a subscription is created', () => {
    const decoded = decodeLogsPayload(encodeLogsPayload({ messageType: 'CONTROL_MESSAGE' } as LogsData));
    expect(statisticsIn(decoded)).toEqual({ statistics: [], ignored: [] });
  });

  it('refuse a payload that is not one (so the batch fails and is kept as a dead letter)', () => {
    expect(() => decodeLogsPayload({ detail: viewed })).toThrow();
    expect(() =>
      decodeLogsPayload({ awslogs: { data: Buffer.from('not gzip').toString('base64') } }),
    ).toThrow();
  });
});
