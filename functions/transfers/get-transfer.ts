import { presentTransfer } from '@portail/core';
import { loadTransfer, type RouteHandler } from '@portail/http';
import type { transferRoutes } from './routes';

export const getTransfer: RouteHandler<typeof transferRoutes.getTransfer> = async ({
  params,
  caller,
  urls,
}) => {
  const transfer = await loadTransfer(caller, params.id, 'read');
  return { status: 200, body: presentTransfer(transfer, urls) };
};
