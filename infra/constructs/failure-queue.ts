import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * `Failures`: an encrypted, TLS-only queue kept 14 days, where what a consumer could not process lands.
 * It has no dead-letter queue of its own, being one: `deadLetterOf` says whose
 * (`This queue is itself the dead-letter destination <deadLetterOf>.`).
 */
export function failureQueue(scope: Construct, deadLetterOf: string): Queue {
  const queue = new Queue(scope, 'Failures', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter destination ${deadLetterOf}.`,
  });
  return queue;
}
