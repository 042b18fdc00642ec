import { withLogging } from '@portail/http/logger';
import { pageHandler } from '@portail/web/handler';

/**
 * The public pages (docs/architecture.md, "Public pages"): API Gateway's page routes
 * (`PAGE_ROUTE_PATHS`) invoke it; it reads the public API over HTTP like any client.
 */
export const handler = withLogging(pageHandler, (event) => event.requestContext.requestId);
