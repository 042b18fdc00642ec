import { type Caller, isAllowed, NotFoundError, ownedBy, type Webhook } from '@portail/core';
import { findWebhook } from '@portail/store';
import { roleOf } from './roles';

/**
 * A webhook, for the one who may manage it (its user, an admin of its organization, a sysadmin). A
 * webhook is private to them: anyone else is answered 404, as for an unknown id.
 */
export async function loadWebhook(caller: Caller, id: string): Promise<Webhook> {
  const webhook = await findWebhook(id);
  const organization = webhook?.owner.kind === 'organization' ? webhook.owner.id : null;
  const role = webhook ? await roleOf(caller, organization) : null;
  if (!webhook || !isAllowed(caller, { action: 'webhook.manage', owner: ownedBy(webhook.owner), role }))
    throw new NotFoundError(`No webhook "${id}".`);
  return webhook;
}
