import { expect } from 'vitest';
import { api } from './client';

const ENDED = ['done', 'done-errors', 'failed'];

/**
 * Polls a harvest job until it has ended (what an operator watching its page does), within a deadline:
 * runs go on in the background of the platform and nothing else waits for them.
 */
export async function finishedJob(job: string, timeoutMs = 90_000) {
  expect(job, 'a job id').toBeTruthy();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const read = await api.get(`/api/1/harvest/job/${job}/`);
    expect(read.status, read.text).toBe(200);
    if (ENDED.includes(read.json.status)) return read.json;
    if (Date.now() > deadline) {
      throw new Error(`harvest job ${job} still ${read.json.status} after ${timeoutMs} ms: ${read.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
