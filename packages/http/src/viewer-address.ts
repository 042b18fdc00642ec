import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { lazySchema } from '@portail/core';
import * as z from 'zod/mini';

/**
 * Which address a request comes from. Behind CloudFront, API Gateway sees the edge's address, shared by
 * every visitor of that edge: per-address throttles would count them all together. The distribution
 * adds the viewer's address (`CloudFront-Viewer-Address`, through its origin request policy) and a
 * secret header to every request it sends to the API; the viewer's address is believed only when the
 * secret is there, so a request sent straight to API Gateway with a forged header is counted against
 * the address that sent it.
 */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';
/** The header whose value is the origin secret, set by the distribution on each request to the API. */
export const ORIGIN_SECRET_HEADER = 'x-origin-verify';

const SecretSourceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** Deployed: the Secrets Manager secret, read once at cold start (never its value in the environment). */
    ORIGIN_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
    /** Locally: the value itself, from the platform's secrets file. */
    ORIGIN_SECRET: z.optional(
      z.string().check(z.minLength(32, 'the origin secret must be at least 32 characters')),
    ),
  }),
);

let loaded: string | null | undefined;

function source() {
  const parsed = SecretSourceSchema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * Reads the origin secret once, at cold start (an entry's top-level await): a function given a secret it
 * cannot read stops at start. Without any, no viewer address is ever believed.
 */
export async function loadOriginSecret(): Promise<string | null> {
  if (loaded !== undefined) return loaded;
  const { ORIGIN_SECRET_ARN, ORIGIN_SECRET } = source();
  if (ORIGIN_SECRET_ARN) {
    const value = await (await import('./get-secret-value')).getSecretValue(ORIGIN_SECRET_ARN);
    if (!value || value.length < 32)
      throw new Error('The origin secret read from Secrets Manager is too short');
    loaded = value;
  } else {
    loaded = ORIGIN_SECRET ?? null;
  }
  return loaded;
}

/** The secret once loaded; locally (no ARN) it is read from the environment on first use. */
function originSecret(): string | null {
  if (loaded !== undefined) return loaded;
  const { ORIGIN_SECRET_ARN, ORIGIN_SECRET } = source();
  // Deployed without loadOriginSecret() at cold start: the group does not trust viewer addresses.
  if (ORIGIN_SECRET_ARN) return null;
  loaded = ORIGIN_SECRET ?? null;
  return loaded;
}

function sameSecret(sent: string, secret: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The address of `CloudFront-Viewer-Address` (`198.51.100.10:46532`, `2001:db8::1:46532`), or null. */
export function parseViewerAddress(value: string | undefined): string | null {
  if (!value) return null;
  const separator = value.lastIndexOf(':');
  if (separator <= 0) return null;
  const address = value.slice(0, separator).trim();
  const port = value.slice(separator + 1).trim();
  if (!/^\d{1,5}$/.test(port)) return null;
  return isIP(address) ? address : null;
}

/**
 * The client's address: the viewer's, when the request carries the origin secret and a well-formed
 * `CloudFront-Viewer-Address`; else the connection's source address, as API Gateway saw it.
 */
export function clientAddress(
  headers: Record<string, string | undefined> | undefined,
  sourceIp: string,
  secret: string | null = originSecret(),
): string {
  const sent = headers?.[ORIGIN_SECRET_HEADER];
  if (!secret || !sent || !sameSecret(sent, secret)) return sourceIp;
  return parseViewerAddress(headers?.[VIEWER_ADDRESS_HEADER]) ?? sourceIp;
}

/** The request's headers without the origin secret, so no route can echo or log it. */
export function withoutOriginSecret(
  headers: Record<string, string | undefined> | undefined,
): Record<string, string | undefined> {
  if (!headers || !(ORIGIN_SECRET_HEADER in headers)) return headers ?? {};
  const { [ORIGIN_SECRET_HEADER]: _secret, ...rest } = headers;
  return rest;
}
