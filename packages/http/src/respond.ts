import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { corsHeaders } from './cors';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem';
import type { HttpResult } from './route';

export function toResponse(result: HttpResult, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (result.binaryBody !== undefined) {
    return {
      statusCode: result.status,
      headers: {
        ...corsHeaders(),
        'x-request-id': requestId,
        'content-type': result.contentType ?? 'application/octet-stream',
        ...result.headers,
      },
      body: Buffer.from(result.binaryBody).toString('base64'),
      isBase64Encoded: true,
    };
  }
  const hasBody = result.rawBody !== undefined || result.body !== undefined;
  const headers: Record<string, string> = { ...corsHeaders(), 'x-request-id': requestId, ...result.headers };
  if (hasBody) headers['content-type'] = result.contentType ?? 'application/json; charset=utf-8';
  return {
    statusCode: result.status,
    headers,
    body: result.rawBody ?? (result.body === undefined ? '' : JSON.stringify(result.body)),
    ...(result.cookies?.length ? { cookies: result.cookies } : {}),
  };
}

export function problemResponse(problem: Problem, requestId: string): APIGatewayProxyStructuredResultV2 {
  return toResponse({ status: problem.status, body: problem, contentType: PROBLEM_CONTENT_TYPE }, requestId);
}
