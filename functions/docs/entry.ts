import { createGroupHandler } from '@portail/http/group-handler';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { getApiDocsPage } from './get-api-docs-page';
import { getOpenApi } from './get-openapi';
import { docsRoutes } from './routes';
import { answerUnmatchedRoute } from './unmatched-route';

const docs = createGroupHandler(docsRoutes, { getOpenApi, getApiDocsPage });

/** The docs routes, and API Gateway's `$default` route (requests no other route took). */
export const handler = async (event: APIGatewayProxyEventV2, context: Context) =>
  event.routeKey === '$default' ? answerUnmatchedRoute(event) : docs(event, context);
