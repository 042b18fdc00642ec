import { ForbiddenError, presentApiToken, UnauthorizedError } from '@portail/core';
import { apiTokenSecret, type RouteHandler } from '@portail/http';
import {
  listApiTokens as listStoredTokens,
  revokeApiToken as revokeStoredToken,
  createApiToken as storeToken,
} from '@portail/store';
import type { accountRoutes } from './routes';

function userId(caller: { kind: string; id?: string }): string {
  if (caller.kind !== 'user' || !caller.id) throw new UnauthorizedError('Authentication required.');
  return caller.id;
}

export const createApiToken: RouteHandler<typeof accountRoutes.createApiToken> = async ({ caller, body }) => {
  if (body.scopes.includes('admin') && !(caller.kind === 'user' && caller.sysadmin)) {
    throw new ForbiddenError('Only a sysadmin may create a token with the "admin" scope.');
  }
  const { token, record } = await storeToken(userId(caller), {
    name: body.name,
    expiresAt: body.expires_at,
    scopes: body.scopes,
    secret: apiTokenSecret(),
  });
  return { status: 201, body: { ...presentApiToken(record), token } };
};

export const listApiTokens: RouteHandler<typeof accountRoutes.listApiTokens> = async ({ caller }) => ({
  status: 200,
  body: (await listStoredTokens(userId(caller))).map(presentApiToken),
});

export const revokeApiToken: RouteHandler<typeof accountRoutes.revokeApiToken> = async ({
  caller,
  params,
}) => {
  await revokeStoredToken(userId(caller), params.token);
  return { status: 204 };
};
