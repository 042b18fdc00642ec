import { presentTransfer, UnauthorizedError } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { listTransfers as listStoredTransfers, listUserMemberships } from '@portail/store';
import { partiesOf } from './parties';
import type { transferRoutes } from './routes';

export const listTransfers: RouteHandler<typeof transferRoutes.listTransfers> = async ({
  query,
  caller,
  urls,
}) => {
  if (caller.kind !== 'user') throw new UnauthorizedError('Authentication required.');
  const memberships = await listUserMemberships(caller.id);
  const transfers = (await listStoredTransfers(partiesOf(caller, memberships))).filter(
    (transfer) =>
      (!query.status || transfer.status === query.status) &&
      (!query.subject || transfer.subject.id === query.subject) &&
      (!query.subject_type || transfer.subject.class === query.subject_type) &&
      (!query.recipient || transfer.recipient.id === query.recipient),
  );
  return { status: 200, body: transfers.map((transfer) => presentTransfer(transfer, urls)) };
};
