import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import {
  createContactPoint,
  deleteContactPoint,
  getContactPoint,
  listContactPointRoles,
  listOrganizationContactPoints,
  updateContactPoint,
} from './manage';
import { contactRoutes } from './routes';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  contactRoutes,
  {
    createContactPoint,
    listContactPointRoles,
    getContactPoint,
    updateContactPoint,
    deleteContactPoint,
    listOrganizationContactPoints,
  },
  resolveCaller,
);
