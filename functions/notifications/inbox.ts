import {
  type Caller,
  mergePreferences,
  NotFoundError,
  presentNotification,
  UnauthorizedError,
  type UserCaller,
} from '@portail/core';
import { pagedResponse, pageOptions, type RouteHandler } from '@portail/http';
import {
  getPreferences,
  listNotifications as listStored,
  markNotificationHandled,
  savePreferences,
} from '@portail/store';
import type { notificationRoutes } from './routes';

type Routes = typeof notificationRoutes;

function user(caller: Caller): UserCaller {
  if (caller.kind !== 'user') throw new UnauthorizedError('Authentication required.');
  return caller;
}

export const listNotifications: RouteHandler<Routes['listNotifications']> = async (request) => {
  const me = user(request.caller);
  const handled = request.query.handled === undefined ? undefined : request.query.handled === 'true';
  const page = await listStored(me.id, handled, pageOptions(request.query));
  return pagedResponse(request, page.items, page, presentNotification);
};

export const readNotification: RouteHandler<Routes['readNotification']> = async ({
  caller,
  params,
  urls,
}) => {
  const me = user(caller);
  const notification = await markNotificationHandled(me.id, params.id);
  if (!notification) throw new NotFoundError('You have no notification with this id.');
  return { status: 200, body: presentNotification(notification, urls) };
};

export const getNotificationPreferences: RouteHandler<Routes['getNotificationPreferences']> = async ({
  caller,
}) => ({ status: 200, body: await getPreferences(user(caller).id) });

export const updateNotificationPreferences: RouteHandler<Routes['updateNotificationPreferences']> = async ({
  caller,
  body,
}) => {
  const me = user(caller);
  const next = mergePreferences(await getPreferences(me.id), body);
  await savePreferences(me.id, next);
  return { status: 200, body: next };
};
