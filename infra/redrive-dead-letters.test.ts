import { describe, expect, it } from 'vitest';
import { eventOfDeadLetter, isQueueUrl } from './redrive-dead-letters';

describe('redrive of a consumer’s dead letters', () => {
  const event = { 'detail-type': 'organization.updated', detail: { id: 'e1' } };

  it('takes the event from a message EventBridge could not deliver', () => {
    expect(eventOfDeadLetter(JSON.stringify(event))).toEqual(event);
  });

  it('takes the event out of Lambda’s failure record', () => {
    const record = { requestContext: { condition: 'RetriesExhausted' }, requestPayload: event };
    expect(eventOfDeadLetter(JSON.stringify(record))).toEqual(event);
  });

  it('hands a bus consumer’s events back to its queue, a log consumer’s to its function', () => {
    expect(isQueueUrl('https://sqs.eu-west-3.amazonaws.com/123456789012/Portail-activityQueue-AbC')).toBe(
      true,
    );
    expect(isQueueUrl('Portail-statisticsFunction-AbC')).toBe(false);
  });
});
