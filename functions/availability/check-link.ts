import { AVAILABILITY, type CheckOutcome, headInconclusive, judgeStatus } from '@portail/core';
import { GuardedFetchError, guardedFetch } from '@portail/fetch';

const HEADERS = { accept: '*/*' };

/** An answer the link gave (a status), or why none came. */
async function ask(
  url: string,
  method: 'HEAD' | 'GET',
): Promise<{ status: number } | { error: GuardedFetchError }> {
  try {
    const response = await guardedFetch(url, {
      method,
      headers: method === 'GET' ? { ...HEADERS, range: 'bytes=0-0' } : HEADERS,
      timeoutMs: AVAILABILITY.timeoutMs,
      maxBytes: AVAILABILITY.maxBytes,
    });
    return { status: response.status };
  } catch (error) {
    if (!(error instanceof GuardedFetchError)) throw error;
    // A server that ignores `Range` and starts sending a large body has answered.
    if (error.kind === 'too-large' && error.status !== null) return { status: error.status };
    return { error };
  }
}

/**
 * Checks one link through the guarded fetcher (the harvester's address safeguards, on every
 * redirect): HEAD, then a one-byte ranged GET when HEAD is refused or answers an error, since many
 * servers mishandle HEAD. The GET's answer is the verdict.
 */
export async function checkLink(url: string): Promise<CheckOutcome> {
  let answer = await ask(url, 'HEAD');
  if (!('status' in answer) || headInconclusive(answer.status)) answer = await ask(url, 'GET');
  if ('status' in answer)
    return { available: judgeStatus(answer.status), status: answer.status, error: null };
  const { error } = answer;
  return {
    available: false,
    status: null,
    error:
      error.kind === 'refused'
        ? 'address refused'
        : error.kind === 'timeout'
          ? 'timeout'
          : error.message.slice(0, 200),
  };
}
