import { ACTIVITY_EVENT_TYPES } from '@portail/core';
import { eventBatchConsumer } from '../events/event-consumer';
import { recordBatchActivity } from './record-activity';

export const handler = eventBatchConsumer(ACTIVITY_EVENT_TYPES, recordBatchActivity);
