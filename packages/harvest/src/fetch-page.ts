import { type HarvestFetch, HarvestPageError, type HarvestResponse } from '@portail/core';

/**
 * One page request with the errors a job can show: an unreachable remote or a 5xx may succeed on a
 * retry; a 4xx or a refused address will not.
 */
export async function fetchPage(fetch: HarvestFetch, url: string, accept: string): Promise<HarvestResponse> {
  let response: HarvestResponse;
  try {
    response = await fetch(url, { accept });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryable = (error as { retryable?: unknown }).retryable;
    throw new HarvestPageError(message, typeof retryable === 'boolean' ? retryable : true);
  }
  if (response.status >= 500 || response.status === 429)
    throw new HarvestPageError(`${url} answered ${response.status}.`, true);
  if (response.status >= 400) throw new HarvestPageError(`${url} answered ${response.status}.`, false);
  if (response.status >= 300)
    throw new HarvestPageError(
      `${url} answered a redirect (${response.status}) that was not followed.`,
      false,
    );
  return response;
}

/** JSON bodies, with the error a producer can act on when the remote answers something else. */
export function parseJsonBody(response: HarvestResponse): unknown {
  const text = new TextDecoder().decode(response.body);
  try {
    return JSON.parse(text);
  } catch {
    const kind = /^\s*</.test(text) ? 'an HTML or XML page' : 'something that is not JSON';
    throw new HarvestPageError(`${response.url} answered ${kind}, not the JSON expected.`, false);
  }
}
