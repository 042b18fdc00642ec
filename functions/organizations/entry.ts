import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { acceptMembership } from './accept-membership';
import { addOrganizationMember } from './add-member';
import { cancelMembership } from './cancel-membership';
import { createOrganization } from './create-organization';
import { deleteOrganization } from './delete-organization';
import { getOrganization } from './get-organization';
import { listMembershipRequests } from './list-membership-requests';
import { listOrganizationRoles } from './list-organization-roles';
import { listOrganizations } from './list-organizations';
import { listUsers, suggestUsers } from './list-users';
import { addOrganizationBadge, listOrganizationBadges, removeOrganizationBadge } from './organization-badges';
import {
  deleteOrganizationExtras,
  getOrganizationExtras,
  updateOrganizationExtras,
} from './organization-extras';
import { refuseMembership } from './refuse-membership';
import { removeOrganizationMember } from './remove-member';
import { requestMembership } from './request-membership';
import { organizationRoutes } from './routes';
import { searchOrganizationsV2, suggestOrganizations } from './search-organizations';
import { updateOrganizationMember } from './update-member';
import { updateOrganization } from './update-organization';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  organizationRoutes,
  {
    listOrganizations,
    searchOrganizationsV2,
    suggestOrganizations,
    listUsers,
    suggestUsers,
    createOrganization,
    listOrganizationRoles,
    getOrganization,
    updateOrganization,
    getOrganizationExtras,
    updateOrganizationExtras,
    deleteOrganizationExtras,
    listOrganizationBadges,
    addOrganizationBadge,
    removeOrganizationBadge,
    deleteOrganization,
    requestMembership,
    listMembershipRequests,
    acceptMembership,
    refuseMembership,
    cancelMembership,
    addOrganizationMember,
    updateOrganizationMember,
    removeOrganizationMember,
  },
  resolveCaller,
);
