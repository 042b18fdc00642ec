import { MAIL, newId } from '@portail/core';
import { keys } from './keys';
import { type NamedItem, tableName } from './transact';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Extra headers (the unsubscribe headers of a digest: `List-Unsubscribe`, `List-Unsubscribe-Post`). */
  headers?: Record<string, string>;
}

/**
 * A mail to send, written in the same transaction as the change that needs it (a registration, a
 * reset request): if the change is committed the mail will be sent, and never otherwise. The mail
 * sender deletes the item once SES accepted it.
 */
export function mailPut(mail: OutgoingMail, now: Date, id = newId(now)): NamedItem {
  return {
    name: 'mail',
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.mail(id),
        type: 'Mail',
        id,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.headers ? { headers: mail.headers } : {}),
        created_at: now.toISOString(),
        expires_at_epoch: Math.floor(now.getTime() / 1000) + MAIL.retentionDays * 86_400,
      },
    },
  };
}
