import { gunzipSync, gzipSync } from 'node:zlib';
import { lazySchema, type Statistic, StatisticLineSchema } from '@portail/core';
import * as z from 'zod';

/**
 * What CloudWatch Logs hands a subscription's Lambda function (and the local platform's log tail, the
 * same): `{awslogs: {data}}`, `data` being the base64 of the gzip of the JSON below.
 */
export const LogsPayloadSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ awslogs: z.object({ data: z.string().min(1) }) }),
);
export type LogsPayload = z.infer<typeof LogsPayloadSchema>;

const LogEventSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: z.string(), timestamp: z.number(), message: z.string() }),
);

export const LogsDataSchema = /* @__PURE__ */ lazySchema(() =>
  z.discriminatedUnion('messageType', [
    z.object({
      messageType: z.literal('DATA_MESSAGE'),
      owner: z.string(),
      logGroup: z.string(),
      logStream: z.string(),
      subscriptionFilters: z.array(z.string()),
      logEvents: z.array(LogEventSchema),
    }),
    // Sent once when a subscription is created, to check that the destination is reachable.
    z.object({ messageType: z.literal('CONTROL_MESSAGE') }),
  ]),
);
export type LogsData = z.infer<typeof LogsDataSchema>;

export function encodeLogsPayload(data: LogsData): LogsPayload {
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}

/** The batch in a payload; throws when the payload itself is broken (a dead letter then says why). */
export function decodeLogsPayload(payload: unknown): LogsData {
  const { awslogs } = LogsPayloadSchema.parse(payload);
  return LogsDataSchema.parse(JSON.parse(gunzipSync(Buffer.from(awslogs.data, 'base64')).toString('utf8')));
}

/**
 * The statistics a batch's lines hold, and the lines that hold none (not JSON, not a statistic line,
 * an event that fails its schema): those are ignored, each with why, never a reason to fail the batch.
 */
export function statisticsIn(data: LogsData): {
  statistics: Statistic[];
  ignored: { id: string; reason: string }[];
} {
  const statistics: Statistic[] = [];
  const ignored: { id: string; reason: string }[] = [];
  if (data.messageType !== 'DATA_MESSAGE') return { statistics, ignored };
  for (const { id, message } of data.logEvents) {
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      ignored.push({ id, reason: 'not JSON' });
      continue;
    }
    const line = StatisticLineSchema.safeParse(json);
    if (line.success) statistics.push(line.data.statistic);
    else ignored.push({ id, reason: z.prettifyError(line.error) });
  }
  return { statistics, ignored };
}
