/**
 * `npm run create-admin -- someone@example.org [--password=…]`: makes the first sysadmin.
 *
 * An existing account is promoted; otherwise a confirmed account is created with the given password
 * (or a generated one, printed once). Against the local platform by default (`npm start` must be
 * running; DYNAMODB_PORT as for `npm start`); with `--aws`, against the table named by TABLE_NAME with
 * the AWS credentials of the environment.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { promoteToSysadmin } from './admin';
import { LOCAL_NAMES } from './local-names';

const args = process.argv.slice(2);
const email = args.find((arg) => !arg.startsWith('--'));
const passwordArg = args.find((arg) => arg.startsWith('--password='))?.slice('--password='.length);
const onAws = args.includes('--aws');

async function main() {
  const parsedEmail = z.email().safeParse(email?.trim().toLowerCase());
  if (!parsedEmail.success)
    throw new Error('Usage: npm run create-admin -- someone@example.org [--password=…] [--aws]');
  if (!onAws) {
    // The local platform's DynamoDB and table, whatever the shell says about AWS.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
    process.env.AWS_REGION = 'eu-west-3';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.TABLE_NAME = LOCAL_NAMES.tableName;
  }
  const tableName = z.string().min(1, 'TABLE_NAME is required with --aws').parse(process.env.TABLE_NAME);
  // Imported once the environment names the table and endpoint the store's client reads.
  const store = await import('@portail/store');
  const core = await import('@portail/core');
  const existing = await store.findUserByEmail(parsedEmail.data);
  if (existing) {
    await promoteToSysadmin(parsedEmail.data, { tableName });
    console.log(`${parsedEmail.data} is now a sysadmin.`);
    return;
  }
  const password = passwordArg ?? `${randomBytes(12).toString('base64url')}-Aa1`;
  const checked = core.PasswordSchema.safeParse(password);
  if (!checked.success) throw new Error(checked.error.issues.map((issue) => issue.message).join(' '));
  const user = await store.createUser(
    {
      email: parsedEmail.data,
      first_name: 'Admin',
      last_name: 'Portail',
      password_hash: await core.hashPassword(password),
      roles: ['admin'],
      confirmed_at: new Date().toISOString(),
    },
    [],
    null,
  );
  console.log(`Created sysadmin ${user.email} (id ${user.id}).`);
  if (!passwordArg) console.log(`Password (shown once): ${password}`);
}

main().catch((error) => {
  const message = (error as Error).message ?? String(error);
  console.error(
    /ECONNREFUSED|fetch failed/.test(message)
      ? 'Cannot reach DynamoDB Local: is `npm start` running?'
      : message,
  );
  process.exit(1);
});
