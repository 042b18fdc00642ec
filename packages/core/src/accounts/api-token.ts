import * as z from 'zod';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { lazySchema } from '../lazy-schema';

/** An API token as stored: its keyed hash, never the token itself. */
export const ApiTokenSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    user_id: z.string(),
    name: z.string().nullable(),
    token_prefix: z.string(),
    kind: z.literal('api_key'),
    scopes: z.array(z.string()),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    user_agents: z.array(z.string()),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    hash: z.string(),
  }),
);
export type ApiToken = z.infer<typeof ApiTokenSchema>;

/** An API token as its owner sees it: everything but its hash and owner. */
export const ApiTokenResponseSchema = /* @__PURE__ */ lazySchema(() =>
  ApiTokenSchema.omit({ hash: true, user_id: true }).meta({
    id: 'ApiToken',
  }),
);
export type ApiTokenResponse = z.infer<typeof ApiTokenResponseSchema>;

export function presentApiToken({ hash: _hash, user_id: _user, ...token }: ApiToken): ApiTokenResponse {
  return {
    ...token,
    created_at: udataDateTime(token.created_at),
    last_used_at: udataDateTimeOrNull(token.last_used_at),
    expires_at: udataDateTimeOrNull(token.expires_at),
    revoked_at: udataDateTimeOrNull(token.revoked_at),
  };
}
