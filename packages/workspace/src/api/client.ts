import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed client of the public API, generated from docs/openapi.json: a path, parameter or field the
 * API no longer has fails the type check of the workspace. Same origin as the API: the session cookie
 * (HttpOnly) goes with every request, and state-changing requests carry the session's CSRF token.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && request.method !== 'GET' && request.method !== 'HEAD') {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });
api.use(csrf);

export type Schemas = import('./schema').components['schemas'];
// The types of what the client returns (openapi-fetch's view of each answer), for the screens' state.
const readDataset = (dataset: string) =>
  api.GET('/api/1/datasets/{dataset}/', { params: { path: { dataset } } });
const readResource = (dataset: string, rid: string) =>
  api.GET('/api/1/datasets/{dataset}/resources/{rid}/', { params: { path: { dataset, rid } } });
/** A dataset as its GET answers it (resources included). */
export type DatasetRead = NonNullable<Awaited<ReturnType<typeof readDataset>>['data']>;
/** A resource as its GET answers it. */
export type ResourceRead = NonNullable<Awaited<ReturnType<typeof readResource>>['data']>;
