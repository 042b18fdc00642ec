import { createGroupHandler } from '@portail/http/group-handler';
import { getApiDocsPage } from './get-api-docs-page';
import { getOpenApi } from './get-openapi';
import { docsRoutes } from './routes';

export const handler = createGroupHandler(docsRoutes, { getOpenApi, getApiDocsPage });
