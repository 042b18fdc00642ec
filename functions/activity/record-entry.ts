import { ACTIVITY_EVENT_TYPES } from '@portail/core';
import { eventConsumer } from '../events/event-consumer';
import { recordEventActivity } from './record-activity';

export const handler = eventConsumer(ACTIVITY_EVENT_TYPES, recordEventActivity);
