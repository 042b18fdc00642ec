import { digestText, type Notification, subjectUri, unsubscribeToken } from '@portail/core';
import { apiTokenSecret } from '@portail/http/api-token-key';
import { logger } from '@portail/http/logger';
import { publicUrls } from '@portail/http/urls';
import {
  actOnce,
  digestNotifications,
  digestPeriodDone,
  dueDigestPeriods,
  findUserById,
  getPreferences,
  mailPut,
} from '@portail/store';

export const DIGEST_CONSUMER = 'digest';

/** Users mailed at the same time. */
const PARALLEL = 8;

async function mailDigest(due: string, userId: string, notifications: Notification[], now: Date) {
  const user = await findUserById(userId);
  if (!user || user.deleted) return false;
  // Preferences as they are now: a user who unsubscribed after being notified gets nothing.
  const preferences = await getPreferences(userId);
  if (preferences.digest === 'off') return false;
  const wanted = notifications.filter((notification) => preferences.mail[notification.kind]);
  if (wanted.length === 0) return false;
  const urls = publicUrls();
  const unsubscribeUrl = `${urls.api}/api/1/notifications/unsubscribe/?token=${unsubscribeToken(apiTokenSecret(), userId)}`;
  const { subject, text } = digestText(
    lines(wanted),
    unsubscribeUrl,
    `${urls.api}/api/1/me/notification-preferences/`,
  );
  return actOnce(DIGEST_CONSUMER, `${due}#${userId}`, [
    mailPut(
      {
        to: user.email,
        subject,
        text,
        headers: {
          'List-Unsubscribe': `<${unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      },
      now,
    ),
  ]);
}

function lines(notifications: Notification[]) {
  const urls = publicUrls();
  return notifications
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .map((notification) => ({
      title: notification.subject.title,
      text: notification.text,
      uri: subjectUri(notification.subject, urls),
    }));
}

/**
 * Mails each user one digest per period that has ended: everything they were notified of in it (the
 * kinds they chose), however many events there were. Run on a schedule; each user's digest of a
 * period is written once (its marker and the mail in one transaction), so a run that stops half-way
 * and starts again mails nobody twice. A period is forgotten once every digest in it is written.
 */
export async function sendDigests(now = new Date()): Promise<{ periods: number; mailed: number }> {
  let mailed = 0;
  const periods = await dueDigestPeriods(now);
  for (const due of periods) {
    const byUser = [...(await digestNotifications(due))];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL, byUser.length) }, async () => {
        while (next < byUser.length) {
          const [userId, notifications] = byUser[next++]!;
          if (await mailDigest(due, userId, notifications, now)) mailed += 1;
        }
      }),
    );
    await digestPeriodDone(due);
  }
  if (periods.length > 0) logger.info('digests mailed', { periods: periods.length, mailed });
  return { periods: periods.length, mailed };
}
