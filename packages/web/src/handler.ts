import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { webConfig } from './config';
import { renderPage } from './render';

/** The page function behind API Gateway (payload format 2.0): one request, one rendered page. */
export async function pageHandler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const page = await renderPage({ path: event.rawPath, query: event.rawQueryString ?? '' }, webConfig());
  if (!page) {
    return {
      statusCode: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Not found\n',
    };
  }
  return { statusCode: page.status, headers: page.headers, body: page.body };
}
