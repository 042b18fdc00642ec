import { createGroupHandler } from '@portail/http/group-handler';
import { routes } from '../routes';
import { getApiDocsPage } from './get-api-docs-page';
import { getOpenApi } from './get-openapi';

export const handler = createGroupHandler('docs', routes, { getOpenApi, getApiDocsPage });
