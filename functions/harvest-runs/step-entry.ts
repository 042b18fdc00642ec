import { logger, withLogging } from '@portail/http/logger';
import { storeConfig } from '@portail/store';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { queueConsumer } from '../consumers';
import { runStep } from './step';
import { StepMessageSchema } from './steps-queue';

storeConfig();

const { maxReceiveCount } = queueConsumer('harvest-steps');

/**
 * The harvest step queue's consumer (one message per invocation): a failed step is reported in
 * `batchItemFailures`, so the queue delivers it again (alone) until its last receive, then keeps it in
 * the dead-letter queue.
 */
export const handler = withLogging(
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const parsed = StepMessageSchema.safeParse(JSON.parse(record.body));
      if (!parsed.success) {
        logger.error('an unreadable harvest step was dropped', { body: record.body.slice(0, 500) });
        continue;
      }
      try {
        await runStep(parsed.data, {
          receiveCount: Number(record.attributes.ApproximateReceiveCount ?? 1),
          maxReceiveCount,
        });
      } catch (error) {
        logger.warn('a harvest step failed; it will be delivered again', { error: String(error) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  },
  (event) => event.Records[0]?.messageId,
);
