import { actorOf, presentTransfer } from '@portail/core';
import { loadTransfer, type RouteHandler, userIdOf } from '@portail/http';
import { memberUserOf, respondToTransfer as respondToStoredTransfer } from '@portail/store';
import { currentRecipient, goneRecipient } from './parties';
import type { transferRoutes } from './routes';

export const respondToTransfer: RouteHandler<typeof transferRoutes.respondToTransfer> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const userId = userIdOf(caller);
  const transfer = await loadTransfer(caller, params.id, 'respond');
  const recipient = await currentRecipient(transfer);
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
