import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per process; every line carries the request id once a request starts. */
export const logger = new Logger({ serviceName: 'portail' });
