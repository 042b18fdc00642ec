import { actorOf, presentTransfer } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getTransfer, memberUserOf, respondToTransfer as respondToStoredTransfer } from '@portail/store';
import { authorize, userIdOf } from '../organizations/authorize';
import { currentRecipient, goneRecipient, ownedBy } from './parties';
import type { transferRoutes } from './routes';

export const respondToTransfer: RouteHandler<typeof transferRoutes.respondToTransfer> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const userId = userIdOf(caller);
  const transfer = await getTransfer(params.id);
  const { recipient, role } = await currentRecipient(transfer, caller);
  authorize(
    caller,
    { action: 'transfer.respond', recipient: ownedBy(transfer.recipient), role },
    transfer.recipient.kind === 'user'
      ? 'Only the recipient may answer this transfer.'
      : 'Only an admin of the recipient organization may answer this transfer.',
  );
  // A refusal needs nothing of the recipient; an acceptance gives it the dataset, so it must still exist.
  if (!recipient && body.response === 'accept') throw goneRecipient(transfer);
  const answered = await respondToStoredTransfer(
    transfer,
    { response: body.response, comment: body.comment },
    await memberUserOf(userId),
    recipient ?? transfer.recipient,
    actorOf(caller),
  );
  return { status: 200, body: presentTransfer(answered, urls) };
};
