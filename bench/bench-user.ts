import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from '@portail/local/platform';

/**
 * A confirmed publisher with an API token, made as a person makes one: register, open the link from the
 * local mail outbox, log in, create a token. Returns the headers that authenticate as it.
 */
export async function benchPublisher(
  platform: Platform,
  options: { sysadmin?: boolean } = {},
): Promise<Record<string, string>> {
  const email = `bench-${process.pid}-${Date.now().toString(36)}@example.org`;
  const password = 'Bench-Horse-9-Battery';
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.apiUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const registered = await post('/register/', { email, password, first_name: 'Bench', last_name: 'Mark' });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);

  let link: string | undefined;
  for (let attempt = 0; attempt < 100 && !link; attempt++) {
    const names = await readdir(platform.mailDirectory).catch(() => [] as string[]);
    for (const name of names.filter((candidate) => candidate.endsWith('.eml'))) {
      const mail = await readFile(path.join(platform.mailDirectory, name), 'utf8');
      if (mail.includes(`\nTo: ${email}\n`))
        link = mail.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/)?.[0];
    }
    if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!link) throw new Error('the confirmation mail never arrived');
  const confirmed = await fetch(link);
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status}`);

  if (options.sysadmin) {
    const { promoteToSysadmin } = await import('@portail/local/admin');
    await promoteToSysadmin(email, {
      dynamoDbEndpoint: platform.dynamoDbEndpoint,
      tableName: platform.tableName,
    });
  }
  const login = await post('/login/', { email, password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  const token = await post('/api/1/me/api_tokens/', { name: 'bench' }, { cookie, 'x-csrf-token': csrf });
  if (token.status !== 201) throw new Error(`token: ${token.status} ${await token.text()}`);
  return { 'x-api-key': ((await token.json()) as { token: string }).token };
}
