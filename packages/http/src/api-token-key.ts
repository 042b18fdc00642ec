import { lazySchema } from '@portail/core';
import * as z from 'zod/mini';

/**
 * Where the key API tokens are hashed with (HMAC-SHA256) comes from. Deployed, the function is given
 * only the ARN of a Secrets Manager secret and reads it once at cold start, so the key is never in the
 * function's configuration; locally the platform keeps it in its secrets file and sets API_TOKEN_SECRET.
 */
const KeySourceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    API_TOKEN_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
    API_TOKEN_SECRET: z.optional(z.string()),
  }),
);

const KeySchema = /* @__PURE__ */ lazySchema(() =>
  z.string().check(z.minLength(32, 'the API token key must be at least 32 characters')),
);

let key: string | undefined;

function checked(value: string | undefined, origin: string): string {
  const parsed = KeySchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`Invalid API token key (${origin}): ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function keySource() {
  const parsed = KeySourceSchema.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Missing or invalid environment variable(s): ${names}`);
  }
  const source = parsed.data;
  if (!source.API_TOKEN_SECRET_ARN && source.API_TOKEN_SECRET === undefined) {
    throw new Error('Missing environment variable: API_TOKEN_SECRET_ARN (or API_TOKEN_SECRET locally)');
  }
  return source;
}

/**
 * Reads the key once; a group that resolves callers awaits it at cold start (top-level await in its
 * entry), so a missing or unreadable key stops the function at start, not at its first request.
 */
export async function loadApiTokenSecret(): Promise<string> {
  if (key) return key;
  const source = keySource();
  key = source.API_TOKEN_SECRET_ARN
    ? checked(
        await (await import('./get-secret-value')).getSecretValue(source.API_TOKEN_SECRET_ARN),
        'Secrets Manager',
      )
    : checked(source.API_TOKEN_SECRET, 'API_TOKEN_SECRET');
  return key;
}

/** The key, once loaded (locally it is read from the environment on first use). */
export function apiTokenSecret(): string {
  if (key) return key;
  const source = keySource();
  if (source.API_TOKEN_SECRET_ARN) {
    throw new Error(
      'The API token key is read from Secrets Manager: await loadApiTokenSecret() at cold start',
    );
  }
  key = checked(source.API_TOKEN_SECRET, 'API_TOKEN_SECRET');
  return key;
}
