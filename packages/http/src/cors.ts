import { API_CORS } from '@portail/core';

/**
 * The API is public and token-authenticated, so any origin may call it. Preflight requests are answered
 * by API Gateway's CORS configuration (built from the same constants) and by the local server.
 */
export function corsHeaders(): Record<string, string> {
  return {
    'access-control-allow-origin': '*',
    'access-control-expose-headers': API_CORS.exposedHeaders.join(', '),
  };
}

export function preflightHeaders(): Record<string, string> {
  return {
    ...corsHeaders(),
    'access-control-allow-methods': API_CORS.allowedMethods.join(', '),
    'access-control-allow-headers': API_CORS.allowedHeaders.join(', '),
    'access-control-max-age': String(API_CORS.maxAgeSeconds),
  };
}
