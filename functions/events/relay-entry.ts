import { withLogging } from '@portail/http/logger';
import { relayOutbox } from './relay-outbox';

export const handler = withLogging(relayOutbox);
