import {
  actorOf,
  ForbiddenError,
  GoneError,
  isAllowed,
  newId,
  newTransfer,
  presentTransfer,
  ValidationError,
} from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { createTransfer, findDataset, getMemberRole } from '@portail/store';
import { userIdOf } from '../organizations/authorize';
import { recipientOf } from './parties';
import type { transferRoutes } from './routes';

export const requestTransfer: RouteHandler<typeof transferRoutes.requestTransfer> = async ({
  body,
  caller,
  urls,
}) => {
  const userId = userIdOf(caller);
  const dataset = await findDataset(body.subject.id);
  const role = dataset?.organization ? await getMemberRole(dataset.organization, userId) : null;
  const unknown = () => ValidationError.field('subject', `No dataset has the id "${body.subject.id}".`);
  if (!dataset) throw unknown();
  const allowed = isAllowed(caller, { action: 'dataset.transfer', dataset, role });
  // A private dataset stays unknown to those who may not see it, as on every dataset route.
  if (!allowed && dataset.private && !isAllowed(caller, { action: 'dataset.read-private', dataset, role })) {
    throw unknown();
  }
  if (dataset.deleted) throw new GoneError(`Dataset "${body.subject.id}" has been deleted.`);
  if (!allowed) {
    throw new ForbiddenError(
      'Only the dataset’s owner, or an admin of the organization owning it, may transfer it.',
    );
  }
  const recipient = await recipientOf(body.recipient);
  const now = new Date();
  const transfer = newTransfer(
    { id: newId(now), requestedBy: userId },
    dataset,
    recipient,
    body.comment,
    now,
  );
  await createTransfer(transfer, dataset, actorOf(caller), now);
  const representation = presentTransfer(transfer, urls);
  return {
    status: 201,
    body: representation,
    headers: { location: `${urls.api}/api/1/transfer/${transfer.id}/` },
  };
};
