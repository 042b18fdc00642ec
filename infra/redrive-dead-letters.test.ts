import { describe, expect, it } from 'vitest';
import { eventOfDeadLetter } from './redrive-dead-letters';

describe('redrive of a consumer’s dead letters', () => {
  const event = { 'detail-type': 'organization.updated', detail: { id: 'e1' } };

  it('takes the event from a message EventBridge could not deliver', () => {
    expect(eventOfDeadLetter(JSON.stringify(event))).toEqual(event);
  });

  it('takes the event out of Lambda’s failure record', () => {
    const record = { requestContext: { condition: 'RetriesExhausted' }, requestPayload: event };
    expect(eventOfDeadLetter(JSON.stringify(record))).toEqual(event);
  });
});
