/**
 * `node:stream/web` as middy's core sees it in a deployed function. Middy imports `ReadableStream` only
 * to test, when a response is streamed (no group streams), whether the body is one; importing Node's web
 * streams at a cold start costs about 3 ms of CPU for that. This stands in for the class in that test
 * and reaches Node's own (a global, loaded on first use) only when a test is made.
 */
export const ReadableStream = {
  [Symbol.hasInstance]: (value: unknown): boolean => value instanceof globalThis.ReadableStream,
};
