import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The unsubscribe link of a digest mail: works without logging in, does one thing only (turns that
 * user's digest off) and cannot be forged or bent to another user or purpose. The token is the user id
 * and the purpose, signed with HMAC-SHA256 under a key derived from the platform's secret for this
 * purpose alone.
 */
const PURPOSE = 'unsubscribe-digest';

function signature(secret: string, payload: string): string {
  const key = createHmac('sha256', secret).update(`portail:${PURPOSE}`).digest();
  return createHmac('sha256', key).update(payload).digest('base64url');
}

export function unsubscribeToken(secret: string, userId: string): string {
  const payload = Buffer.from(JSON.stringify({ u: userId, p: PURPOSE })).toString('base64url');
  return `${payload}.${signature(secret, payload)}`;
}

/** The user id a token was made for, or null when it is not a valid unsubscribe token. */
export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  if (token.length > 512) return null;
  const [payload, mac, ...rest] = token.split('.');
  if (!payload || !mac || rest.length > 0) return null;
  const expected = Buffer.from(signature(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as { p?: unknown }).p === PURPOSE &&
      typeof (parsed as { u?: unknown }).u === 'string'
    )
      return (parsed as { u: string }).u;
  } catch {
    return null;
  }
  return null;
}
