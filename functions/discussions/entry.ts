import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { commentDiscussion } from './comment-discussion';
import { deleteDiscussionComment, updateDiscussionComment } from './comments';
import { createDiscussion } from './create-discussion';
import { deleteDiscussion } from './delete-discussion';
import { getDiscussion } from './get-discussion';
import { listDiscussions, listOrganizationDiscussions } from './list-discussions';
import { publishHeldComment, publishHeldDiscussion } from './moderation';
import { createReport, dismissReport, getReport, listReportReasons, listReports } from './reports';
import { discussionRoutes } from './routes';
import { updateDiscussion } from './update-discussion';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  discussionRoutes,
  {
    listDiscussions,
    createDiscussion,
    getDiscussion,
    commentDiscussion,
    updateDiscussion,
    deleteDiscussion,
    updateDiscussionComment,
    deleteDiscussionComment,
    publishHeldDiscussion,
    publishHeldComment,
    listOrganizationDiscussions,
    createReport,
    listReports,
    listReportReasons,
    getReport,
    dismissReport,
  },
  resolveCaller,
);
