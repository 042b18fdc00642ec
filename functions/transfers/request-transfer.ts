import { actorOf, newId, newTransfer, presentTransfer } from '@portail/core';
import { loadDataset, loadReuse, type RouteHandler, userIdOf } from '@portail/http';
import { createTransfer } from '@portail/store';
import { recipientOf } from './parties';
import type { transferRoutes } from './routes';

export const requestTransfer: RouteHandler<typeof transferRoutes.requestTransfer> = async ({
  body,
  caller,
  urls,
}) => {
  const userId = userIdOf(caller);
  const subject =
    body.subject.class === 'Reuse'
      ? (await loadReuse(caller, body.subject.id, 'transfer', { field: 'subject' })).reuse
      : (
          await loadDataset(caller, body.subject.id, 'transfer', {
            field: 'subject',
            forbidden:
              'Only the dataset’s owner, or an admin of the organization owning it, may transfer it.',
          })
        ).dataset;
  const recipient = await recipientOf(body.recipient);
  const now = new Date();
  const transfer = newTransfer(
    { id: newId(now), requestedBy: userId },
    subject,
    recipient,
    body.comment,
    now,
    body.subject.class,
  );
  await createTransfer(transfer, subject, actorOf(caller), now);
  const representation = presentTransfer(transfer, urls);
  return {
    status: 201,
    body: representation,
    headers: { location: `${urls.api}/api/1/transfer/${transfer.id}/` },
  };
};
