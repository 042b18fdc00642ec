import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * One logger per process (Powertools): JSON lines with the Lambda context (function name, cold start,
 * Lambda request id), a correlation id and the request id. Debug lines are buffered per invocation and
 * printed only if that invocation logs an error, so a failure comes with what led to it and a
 * successful request costs one line.
 */
export const logger = new Logger({
  serviceName: 'portail',
  logBufferOptions: { enabled: true, bufferAtVerbosity: 'DEBUG', flushOnErrorLog: true },
});

/**
 * Starts logging one invocation: drops the previous one's keys, adds the Lambda context (absent when
 * the local platform calls a handler directly) and makes `requestId` the request id and correlation id
 * of every line until the next invocation.
 */
export function startInvocation(
  context: Context | undefined,
  requestId: string | undefined,
  keys: Record<string, unknown> = {},
) {
  logger.resetKeys();
  if (context) logger.addContext(context);
  const id = requestId ?? context?.awsRequestId;
  if (id) logger.setCorrelationId(id);
  logger.appendKeys({ requestId: id, ...keys });
}

/** Ends an invocation: what it buffered is dropped (an error log would already have printed it). */
export function endInvocation() {
  logger.clearBuffer();
}

/**
 * A Lambda handler that is not an API route group (stream relay, mail, finalize, event consumers), logged
 * like the route groups: see startInvocation. An error escaping the handler is logged (with the buffered
 * debug lines before it) and thrown on, so Lambda retries as it would have.
 */
export function withLogging<Event, Result>(
  handler: (event: Event, context?: Context) => Promise<Result>,
  correlationIdOf: (event: Event) => string | undefined = () => undefined,
): (event: Event, context?: Context) => Promise<Result> {
  return async (event, context) => {
    startInvocation(context, correlationIdOf(event) ?? context?.awsRequestId);
    try {
      return await handler(event, context);
    } catch (error) {
      logger.error('invocation failed', error as Error);
      throw error;
    } finally {
      endInvocation();
    }
  };
}
