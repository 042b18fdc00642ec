import { WEBHOOK_EVENT_TYPES } from '@portail/core';
import { eventConsumer } from '../events/event-consumer';
import { deliverEvent } from './deliver-event';

export const handler = eventConsumer(WEBHOOK_EVENT_TYPES, (event) => deliverEvent(event));
