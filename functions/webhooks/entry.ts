import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhookEvents,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
} from './manage';
import { webhookRoutes } from './routes';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  webhookRoutes,
  {
    listWebhookEvents,
    listWebhooks,
    createWebhook,
    getWebhook,
    updateWebhook,
    deleteWebhook,
    listWebhookDeliveries,
    rotateWebhookSecret,
  },
  resolveCaller,
);
