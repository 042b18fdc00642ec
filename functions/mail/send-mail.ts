import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { MAIL } from '@portail/core';
import { logger } from '@portail/http/logger';
import { documentClient, keys, storeConfig } from '@portail/store';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';

const env = z.object({ MAIL_FROM: z.string().min(3) }).parse(process.env);
const tableName = storeConfig().TABLE_NAME;
const ses = new SESv2Client({});

function mailId(record: DynamoDBRecord): string | null {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || image?.SK?.S !== MAIL.marker || typeof image.id?.S !== 'string')
    return null;
  return image.id.S;
}

/**
 * Sends the mails written in the table (see packages/store/src/mail.ts), then deletes each one: the
 * item holds a single-use link and should not outlive its sending. A mail whose item is already gone
 * was sent by an earlier attempt and is skipped, so a retried batch does not send twice.
 */
export async function sendMail(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const id = mailId(record);
    if (!id) continue;
    try {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: keys.mail(id), ConsistentRead: true }),
      );
      if (!Item) continue;
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: env.MAIL_FROM,
          Destination: { ToAddresses: [String(Item.to)] },
          Content: {
            Simple: {
              Subject: { Data: String(Item.subject), Charset: 'UTF-8' },
              Body: { Text: { Data: String(Item.text), Charset: 'UTF-8' } },
            },
          },
        }),
      );
      await documentClient.send(new DeleteCommand({ TableName: tableName, Key: keys.mail(id) }));
      logger.info('mail sent', { mailId: id });
    } catch (error) {
      logger.error('could not send a mail', error as Error);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
