import { buildOpenApiDocument, type OpenApiDocument } from '@portail/http';
import { routeList } from '../routes';

export const API_VERSION = '1.0.0';

/** The document for a given server URL (the route table never changes at run time, so callers cache it). */
export function openApiDocument(serverUrl: string): OpenApiDocument {
  return buildOpenApiDocument(routeList, {
    title: 'Portail API',
    version: API_VERSION,
    description:
      'The udata API v1 (data.gouv.fr) as served by Portail: same paths, field names, list envelope and status codes, ' +
      'and the API v2 routes udata clients use (`/api/2/`: a dataset with its resources as links, its resources a page at a time, a resource from its id alone, extras). ' +
      'Every JSON answer takes an `X-Fields` mask; dates are written as udata writes them (`2026-11-29T18:28:14.084000+00:00`). ' +
      "Errors are RFC 9457 problem documents that also carry udata's `message` and `errors` fields.",
    serverUrl,
  });
}
