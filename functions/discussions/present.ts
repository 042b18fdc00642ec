import type { Caller } from '@portail/core';
import { type Discussion, presentDiscussion } from '@portail/core';
import { discussionReaders, type HttpResult, type PagedRequest, pagedResponse } from '@portail/http';
import type { DiscussionPage } from '@portail/store';

/** One page of discussions in udata's envelope, each with the caller's `permissions`. */
export async function discussionPageResponse(
  request: PagedRequest & { caller: Caller },
  page: DiscussionPage,
): Promise<HttpResult> {
  const readerOf = await discussionReaders(request.caller, page.discussions);
  return pagedResponse(request, page.discussions, page, (discussion: Discussion, urls) =>
    presentDiscussion(discussion, readerOf(discussion), urls),
  );
}
