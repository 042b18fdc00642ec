import { relayOutbox } from './relay-outbox';

export const handler = relayOutbox;
