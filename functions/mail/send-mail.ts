import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { lazySchema, MAIL } from '@portail/core';
import { logger } from '@portail/http/logger';
import { documentClient, keys, storeConfig } from '@portail/store';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';

const env = z.object({ MAIL_FROM: z.string().min(3) }).parse(process.env);
const tableName = storeConfig().TABLE_NAME;
const HeadersSchema = /* @__PURE__ */ lazySchema(() => z.record(z.string(), z.string()).optional());
const ses = new SESv2Client({});

interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

/**
 * SES sends what it is given, however often: sending goes through Powertools idempotency, its records
 * in this table (`IDEMPOTENCY#mail`), keyed by the mail's id, so a batch retried after a send that
 * succeeded (the item not yet deleted, the function stopped) does not send the mail again.
 */
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: 'id',
  expiresAfterSeconds: MAIL.retentionDays * 86_400,
});

/** Outside Lambda (the local platform) there is no context: the stream consumer's 60 s stand in. */
const LOCAL_CONTEXT = { getRemainingTimeInMillis: () => 60_000 } as Context;

const sendOnce = makeIdempotent(
  async (mail: Mail) => {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: env.MAIL_FROM,
        Destination: { ToAddresses: [mail.to] },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' } },
            ...(mail.headers
              ? { Headers: Object.entries(mail.headers).map(([Name, Value]) => ({ Name, Value })) }
              : {}),
          },
        },
      }),
    );
    return { sent: mail.id };
  },
  {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName,
      keyAttr: 'PK',
      sortKeyAttr: 'SK',
      staticPkValue: keys.idempotencyPartition('mail'),
      expiryAttr: 'expires_at_epoch',
      awsSdkV3Client: new DynamoDBClient({}),
    }),
    config: idempotency,
  },
);

function mailId(record: DynamoDBRecord): string | null {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || image?.SK?.S !== MAIL.marker || typeof image.id?.S !== 'string')
    return null;
  return image.id.S;
}

/**
 * Sends the mails written in the table (see packages/store/src/mail.ts), then deletes each one: the
 * item holds a single-use link and should not outlive its sending. A mail whose item is already gone
 * was sent by an earlier attempt and is skipped; one sent but not yet deleted is not sent again
 * (`sendOnce`), so a retried batch does not send twice.
 */
export async function sendMail(
  event: DynamoDBStreamEvent,
  context?: Context,
): Promise<DynamoDBBatchResponse> {
  // A send still marked in progress is taken over once the invocation that started it has timed out.
  idempotency.registerLambdaContext(context ?? LOCAL_CONTEXT);
  // The mails of a batch are independent: sent side by side, each failure reported (the stream
  // resumes from the earliest one, and what was already sent is skipped then).
  const failures = await Promise.all(event.Records.map(sendRecord));
  return {
    batchItemFailures: failures
      .filter((failure): failure is string => failure !== null)
      .map((itemIdentifier) => ({ itemIdentifier })),
  };
}

/** Sends the mail of one record; the record's sequence number when it could not. */
async function sendRecord(record: DynamoDBRecord): Promise<string | null> {
  const id = mailId(record);
  if (!id) return null;
  try {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: keys.mail(id), ConsistentRead: true }),
    );
    if (!Item) return null;
    const headers = HeadersSchema.safeParse(Item.headers);
    await sendOnce({
      id,
      to: String(Item.to),
      subject: String(Item.subject),
      text: String(Item.text),
      ...(headers.success && headers.data ? { headers: headers.data } : {}),
    });
    await documentClient.send(new DeleteCommand({ TableName: tableName, Key: keys.mail(id) }));
    logger.info('mail sent', { mailId: id });
  } catch (error) {
    logger.error('could not send a mail', error as Error);
    return record.dynamodb?.SequenceNumber ?? '';
  }
  return null;
}
