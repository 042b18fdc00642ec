import { httpProblem } from '@portail/http/problem';
import { problemResponse } from '@portail/http/respond';
import { BadPathError, createRouter, unmatchedRouteProblem } from '@portail/http/router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routeList } from '../routes';

const router = createRouter(routeList);

/**
 * API Gateway's `$default` route: a request no route of the table took. Answered as the local server
 * answers it: 405 with `Allow` when the path exists with other methods, 404 otherwise, 400 for a path
 * that may not be given (a dot segment, a malformed escape); always a problem document, never API
 * Gateway's bare `{"message":"Not Found"}`.
 */
export function answerUnmatchedRoute(event: APIGatewayProxyEventV2): APIGatewayProxyStructuredResultV2 {
  const requestId = event.requestContext.requestId;
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath;
  try {
    router(method === 'HEAD' ? 'GET' : method, path);
  } catch (error) {
    if (!(error instanceof BadPathError)) throw error;
    return problemResponse(httpProblem(400, 'Bad request', error.message, requestId, path), requestId);
  }
  const { problem, headers } = unmatchedRouteProblem(router, method, path, requestId);
  const response = problemResponse(problem, requestId);
  return { ...response, headers: { ...response.headers, ...headers } };
}
