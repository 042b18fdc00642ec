import {
  actorOf,
  type Caller,
  discussionVerdict,
  ForbiddenError,
  findComment,
  isAllowed,
  newId,
  presentReport,
  REPORT_REASONS,
  type Report,
  type ReportCreateInput,
  userPublisher,
  userSnapshot,
  ValidationError,
} from '@portail/core';
import {
  authorize,
  loadDataset,
  loadReuse,
  pagedResponse,
  pageOptions,
  type RouteHandler,
  userIdOf,
} from '@portail/http';
import {
  findDiscussion,
  findUserById,
  reportPut,
  dismissReport as storeDismissal,
  getReport as storedReport,
  listReports as storedReports,
  transact,
} from '@portail/store';
import type { discussionRoutes } from './routes';

const MODERATORS_ONLY = 'Only a sysadmin may read and dismiss reports.';

/** What is reported exists and the caller sees it (else a 400 naming `subject`, as udata). */
async function checkSubject(
  caller: Caller,
  subject: ReportCreateInput['subject'],
): Promise<Report['subject']> {
  switch (subject.class) {
    case 'Dataset': {
      const { dataset } = await loadDataset(caller, subject.id, 'read', { field: 'subject' });
      return { class: 'Dataset', id: dataset.id, discussion: null };
    }
    case 'Reuse': {
      const { reuse } = await loadReuse(caller, subject.id, 'read', { field: 'subject' });
      return { class: 'Reuse', id: reuse.id, discussion: null };
    }
    case 'Discussion':
    case 'DiscussionComment': {
      const discussionId = subject.class === 'Discussion' ? subject.id : subject.discussion;
      if (!discussionId) {
        throw ValidationError.field('subject', 'A `DiscussionComment` is named with its `discussion` too.');
      }
      const discussion = await findDiscussion(discussionId);
      const visible =
        discussion !== null &&
        discussionVerdict(caller, { author: discussion.user.id, held: discussion.held !== null }, 'read') ===
          null;
      const comment =
        visible && subject.class === 'DiscussionComment' ? findComment(discussion, subject.id) : null;
      if (!visible || (subject.class === 'DiscussionComment' && !comment)) {
        throw ValidationError.field('subject', `No ${subject.class} has the id "${subject.id}".`);
      }
      return subject.class === 'Discussion'
        ? { class: 'Discussion', id: discussionId, discussion: null }
        : { class: 'DiscussionComment', id: subject.id, discussion: discussionId };
    }
  }
}

export const createReport: RouteHandler<typeof discussionRoutes.createReport> = async ({
  body,
  caller,
  urls,
}) => {
  const userId = userIdOf(caller);
  if (!isAllowed(caller, { action: 'publish' })) {
    throw new ForbiddenError('Confirm your email address before reporting.');
  }
  const [subject, user] = await Promise.all([checkSubject(caller, body.subject), findUserById(userId)]);
  const now = new Date();
  const report: Report = {
    id: newId(now),
    subject,
    reason: body.reason,
    message: body.message ?? null,
    by: user ? userSnapshot(userPublisher(user)) : null,
    auto_spam: null,
    reported_at: now.toISOString(),
    dismissed_at: null,
    dismissed_by: null,
    version: 1,
  };
  await transact(reportPut(report, actorOf(caller), now));
  const representation = presentReport(report, urls);
  return { status: 201, body: representation, headers: { location: representation.self_api_url } };
};

export const listReports: RouteHandler<typeof discussionRoutes.listReports> = async (request) => {
  authorize(request.caller, { action: 'moderate' }, MODERATORS_ONLY);
  const page = await storedReports(pageOptions(request.query));
  return pagedResponse(request, page.reports, page, presentReport);
};

export const listReportReasons: RouteHandler<typeof discussionRoutes.listReportReasons> = async () => ({
  status: 200,
  body: { ...REPORT_REASONS },
});

export const getReport: RouteHandler<typeof discussionRoutes.getReport> = async ({
  params,
  caller,
  urls,
}) => {
  authorize(caller, { action: 'moderate' }, MODERATORS_ONLY);
  return { status: 200, body: presentReport(await storedReport(params.id), urls) };
};

export const dismissReport: RouteHandler<typeof discussionRoutes.dismissReport> = async ({
  params,
  caller,
  urls,
}) => {
  authorize(caller, { action: 'moderate' }, MODERATORS_ONLY);
  const [report, user] = await Promise.all([storedReport(params.id), findUserById(userIdOf(caller))]);
  if (!user) throw new ForbiddenError(MODERATORS_ONLY);
  const dismissed = await storeDismissal(report, userSnapshot(userPublisher(user)));
  return { status: 200, body: presentReport(dismissed, urls) };
};
