import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
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

/** `DeadLetterAlarm`: goes off as soon as `queue` holds a message; `description` says what to do. */
export function deadLetterAlarm(scope: Construct, queue: Queue, description: string): Alarm {
  return new Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
