import { presentTransfer } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getTransfer as getStoredTransfer } from '@portail/store';
import { authorize } from '../organizations/authorize';
import { ownedBy, rolesIn } from './parties';
import type { transferRoutes } from './routes';

export const getTransfer: RouteHandler<typeof transferRoutes.getTransfer> = async ({
  params,
  caller,
  urls,
}) => {
  const transfer = await getStoredTransfer(params.id);
  const { ownerRole, recipientRole } = await rolesIn(transfer, caller);
  authorize(
    caller,
    {
      action: 'transfer.read',
      owner: ownedBy(transfer.owner),
      ownerRole,
      recipient: ownedBy(transfer.recipient),
      recipientRole,
    },
    'This transfer does not concern you.',
  );
  return { status: 200, body: presentTransfer(transfer, urls) };
};
