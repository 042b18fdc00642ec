import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { api } from './client';

/**
 * Test users made the way a person makes one: register, open the link from the mail outbox, log in,
 * create an API token. Sysadmins are promoted with the documented `create-admin` command's code.
 */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  apiKey: string;
  headers: Record<string, string>;
}

let counter = 0;
export const PASSWORD = 'Correct-Horse-9';

export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.org`;
}

/** Mails already read from the outbox, by file name: a mail is written once (renamed into place). */
const readMails = new Map<string, string>();

/**
 * Every mail of the local outbox, oldest first. Each file is read once per test file: the suite sends
 * thousands of mails, and tests poll the outbox while waiting for theirs.
 */
export function outboxMails(): string[] {
  const directory = inject('mailDirectory');
  if (!existsSync(directory)) return [];
  const names = readdirSync(directory)
    .filter((name) => name.endsWith('.eml'))
    .sort();
  return names.map((name) => {
    let text = readMails.get(name);
    if (text === undefined) {
      text = readFileSync(path.join(directory, name), 'utf8');
      readMails.set(name, text);
    }
    return text;
  });
}

/** The newest mail sent to `to`, waiting for the mail sender to deliver it to the local outbox. */
export async function mailTo(
  to: string,
  options: { subject?: string; after?: number; timeoutMs?: number } = {},
): Promise<string> {
  // Generous: the wait ends as soon as the mail is there; a full suite keeps the mail consumer busy.
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const mails = outboxMails()
      .reverse()
      .filter((text) => text.includes(`\nTo: ${to}\n`))
      .filter((text) => !options.subject || text.includes(`\nSubject: ${options.subject}`));
    const fresh =
      options.after === undefined ? mails : mails.slice(0, Math.max(0, mails.length - options.after));
    if (fresh[0]) return fresh[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${to} arrived in the outbox`);
}

export function countMailsTo(to: string): number {
  return outboxMails().filter((text) => text.includes(`\nTo: ${to}\n`)).length;
}

export function linkIn(mail: string, kind: 'confirm' | 'reset'): string {
  const match = mail.match(new RegExp(`https?://\\S+/${kind}/[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no ${kind} link in:\n${mail}`);
  return match[0];
}

export async function register(email = uniqueEmail(), password = PASSWORD) {
  const response = await api.post('/register/', {
    email,
    password,
    first_name: 'Camille',
    last_name: 'Martin',
  });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
  return { email, password };
}

export async function confirm(email: string) {
  const link = linkIn(await mailTo(email, { subject: 'Confirmez' }), 'confirm');
  const response = await fetch(link);
  if (response.status !== 200) throw new Error(`confirm failed: ${response.status} ${await response.text()}`);
}

export async function login(email: string, password = PASSWORD) {
  const response = await api.post('/login/', { email, password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrf: response.json.csrf_token as string, user: response.json.user };
}

export async function newUser(options: { confirmed?: boolean; sysadmin?: boolean } = {}): Promise<TestUser> {
  const { email, password } = await register();
  if (options.confirmed !== false) await confirm(email);
  const session = await login(email, password);
  if (options.sysadmin) await promote(email);
  // An unconfirmed account may not make API tokens (udata): it speaks through its session.
  if (options.confirmed === false && !options.sysadmin) {
    return {
      id: session.user.id,
      email,
      password,
      apiKey: '',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    };
  }
  const token = await api.post(
    '/api/1/me/api_tokens/',
    { name: 'tests' },
    { cookie: session.cookie, 'x-csrf-token': session.csrf },
  );
  if (token.status !== 201) throw new Error(`token creation failed: ${token.status} ${token.text}`);
  const apiKey = token.json.token as string;
  return { id: session.user.id, email, password, apiKey, headers: { 'x-api-key': apiKey } };
}

/** Makes an existing account a sysadmin, as `npm run create-admin` does. */
async function promote(email: string) {
  const { promoteToSysadmin } = await import('../packages/local/src/admin');
  await promoteToSysadmin(email, {
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    tableName: inject('tableName'),
  });
}
