import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import {
  getNotificationPreferences,
  listNotifications,
  readNotification,
  updateNotificationPreferences,
} from './inbox';
import { notificationRoutes } from './routes';
import { unsubscribe, unsubscribePage } from './unsubscribe';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  notificationRoutes,
  {
    listNotifications,
    readNotification,
    getNotificationPreferences,
    updateNotificationPreferences,
    unsubscribePage,
    unsubscribe,
  },
  resolveCaller,
);
