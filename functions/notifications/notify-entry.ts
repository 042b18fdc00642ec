import { NOTIFYING_EVENT_TYPES } from '@portail/core';
import { eventConsumer } from '../events/event-consumer';
import { notifyEvent } from './notify';

export const handler = eventConsumer(NOTIFYING_EVENT_TYPES, notifyEvent);
