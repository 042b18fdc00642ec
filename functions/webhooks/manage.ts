import { randomBytes } from 'node:crypto';
import {
  type Caller,
  ForbiddenError,
  isAllowed,
  newId,
  ownedBy,
  presentDelivery,
  presentWebhook,
  rotateWebhookSecret as rotated,
  UnauthorizedError,
  type UserCaller,
  ValidationError,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_MAX_PER_OWNER,
  type Webhook,
} from '@portail/core';
import { urlRefusal } from '@portail/core/fetch/address';
import { fetchPolicyFromEnv } from '@portail/fetch';
import { loadOrganization, loadWebhook, pagedResponse, pageOptions, type RouteHandler } from '@portail/http';
import {
  createWebhook as createStoredWebhook,
  deleteWebhook as deleteStoredWebhook,
  getMemberRole,
  listDeliveries,
  listOwnerWebhooks,
  type OwnerRef,
  saveWebhook,
} from '@portail/store';
import type { webhookRoutes } from './routes';

type Routes = typeof webhookRoutes;

/** A signing secret: 32 random bytes. */
const newSecret = () => randomBytes(32).toString('base64url');

function user(caller: Caller): UserCaller {
  if (caller.kind !== 'user') throw new UnauthorizedError('Authentication required.');
  return caller;
}

/**
 * Endpoints must be https and must not name a private, link-local or loopback address (the fetcher
 * checks again, on the resolved addresses, at every delivery). Locally, where tests receive
 * deliveries on this machine, plain http to loopback is accepted too.
 */
function checkedUrl(raw: string): string {
  const policy = fetchPolicyFromEnv();
  const checked = urlRefusal(raw, policy);
  if ('refusal' in checked)
    throw ValidationError.field('url', `This endpoint is refused: ${checked.refusal}.`);
  if (checked.url.protocol !== 'https:' && !policy.allowLoopback)
    throw ValidationError.field('url', 'Webhook endpoints must use https.');
  return checked.url.href;
}

/** Whose webhook a request is about: the organization named (its admins only) or the caller. */
async function ownerFor(caller: UserCaller, organization: string | undefined): Promise<OwnerRef> {
  if (!organization) return { kind: 'user', id: caller.id };
  const found = await loadOrganization(caller, organization, { action: 'read' });
  const role = caller.sysadmin ? null : await getMemberRole(found.id, caller.id);
  if (
    !isAllowed(caller, {
      action: 'webhook.manage',
      owner: ownedBy({ kind: 'organization', id: found.id }),
      role,
    })
  )
    throw new ForbiddenError('Only the organization’s admins manage its webhooks.');
  return { kind: 'organization', id: found.id };
}

export const listWebhookEvents: RouteHandler<Routes['listWebhookEvents']> = async () => ({
  status: 200,
  body: [...WEBHOOK_EVENT_TYPES],
});

export const listWebhooks: RouteHandler<Routes['listWebhooks']> = async ({ caller, query }) => {
  const owner = await ownerFor(user(caller), query.organization);
  return { status: 200, body: (await listOwnerWebhooks(owner)).map((webhook) => presentWebhook(webhook)) };
};

export const createWebhook: RouteHandler<Routes['createWebhook']> = async ({ caller, body }) => {
  const me = user(caller);
  const owner = await ownerFor(me, body.organization);
  const url = checkedUrl(body.url);
  if ((await listOwnerWebhooks(owner)).length >= WEBHOOK_MAX_PER_OWNER)
    throw new ValidationError(`At most ${WEBHOOK_MAX_PER_OWNER} webhooks per owner: delete one first.`);
  const now = new Date();
  const webhook: Webhook = {
    id: newId(now),
    owner,
    url,
    events: body.events,
    description: body.description ?? null,
    active: body.active ?? true,
    secret: newSecret(),
    previous_secret: null,
    previous_secret_expires_at: null,
    created_at: now.toISOString(),
    created_by: me.id,
    version: 1,
  };
  await createStoredWebhook(webhook);
  return { status: 201, body: presentWebhook(webhook, true) };
};

export const getWebhook: RouteHandler<Routes['getWebhook']> = async ({ caller, params }) => ({
  status: 200,
  body: presentWebhook(await loadWebhook(user(caller), params.id)),
});

export const updateWebhook: RouteHandler<Routes['updateWebhook']> = async ({ caller, params, body }) => {
  const current = await loadWebhook(user(caller), params.id);
  const next: Webhook = {
    ...current,
    url: body.url === undefined ? current.url : checkedUrl(body.url),
    events: body.events ?? current.events,
    description: body.description ?? current.description,
    active: body.active ?? current.active,
  };
  await saveWebhook(current, next);
  return { status: 200, body: presentWebhook({ ...next, version: current.version + 1 }) };
};

/** A new secret, shown once; the previous one may keep signing for a grace period. */
export const rotateWebhookSecret: RouteHandler<Routes['rotateWebhookSecret']> = async ({
  caller,
  params,
  body,
}) => {
  const current = await loadWebhook(user(caller), params.id);
  const next = rotated(current, newSecret(), body.grace_seconds ?? 0, new Date());
  await saveWebhook(current, next);
  return { status: 200, body: presentWebhook({ ...next, version: current.version + 1 }, true) };
};

export const deleteWebhook: RouteHandler<Routes['deleteWebhook']> = async ({ caller, params }) => {
  await deleteStoredWebhook(await loadWebhook(user(caller), params.id));
  return { status: 204 };
};

export const listWebhookDeliveries: RouteHandler<Routes['listWebhookDeliveries']> = async (request) => {
  const webhook = await loadWebhook(user(request.caller), request.params.id);
  const page = await listDeliveries(webhook.id, pageOptions(request.query));
  return pagedResponse(request, page.items, page, presentDelivery);
};
