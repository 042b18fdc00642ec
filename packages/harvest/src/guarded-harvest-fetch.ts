import type { HarvestFetch } from '@portail/core';
import { type GuardedFetchOptions, guardedFetch } from '@portail/fetch';

/** Catalogue pages may be large; one page must still fit a step's memory and time. */
export const HARVEST_PAGE_MAX_BYTES = 50 * 1024 * 1024;
export const HARVEST_PAGE_TIMEOUT_MS = 60_000;

/**
 * The `HarvestFetch` every backend uses in the platform: the guarded fetcher (address policy after
 * resolution and on every redirect, byte and time caps), with a harvester's User-Agent.
 */
export function guardedHarvestFetch(options: Omit<GuardedFetchOptions, 'headers'> = {}): HarvestFetch {
  return async (url, init) => {
    const response = await guardedFetch(url, {
      maxBytes: HARVEST_PAGE_MAX_BYTES,
      timeoutMs: HARVEST_PAGE_TIMEOUT_MS,
      ...options,
      headers: { accept: init.accept, 'user-agent': 'Portail harvester' },
    });
    return {
      url: response.url,
      status: response.status,
      contentType: response.contentType,
      body: response.body,
    };
  };
}
