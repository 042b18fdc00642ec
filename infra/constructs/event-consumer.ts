import { EVENT_BUS, type EventConsumerDefinition } from '@portail/core';
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm, failureQueue } from './failure-queue';
import { PortailFunction } from './portail-function';

export interface EventConsumerProps {
  bus: IEventBus;
  /** Its line of the consumer table (functions/consumers.ts): entry, event types, retries, batch size. */
  definition: EventConsumerDefinition;
  environment: Record<string, string>;
}

function ruleDescription(definition: EventConsumerDefinition): string {
  const full = `${definition.name}: ${definition.eventTypes.join(', ')}`;
  return full.length <= 512 ? full : `${definition.name}: ${definition.eventTypes.length} event types`;
}

/** The function's time limit; the queue hides a message being handled six times as long (AWS's advice). */
const TIMEOUT = Duration.minutes(5);

/** How long the event source waits to fill a batch: events of one burst go together. */
const BATCHING_WINDOW = Duration.seconds(1);

/**
 * A consumer of the bus: a rule on the event types it reads puts them in the consumer's queue, whose
 * event source hands them to its function in batches of up to `batchSize` (the function handles a
 * batch as a whole and reports the events that failed). A failed event is delivered again alone after
 * the visibility timeout, up to `retries` more times, then moved to the dead-letter queue; so is an
 * event the rule could not put in the queue. An alarm goes off as soon as the dead-letter queue holds a
 * message; `npm run redrive:aws` puts them back in the queue.
 */
export class EventConsumer extends Construct {
  readonly function: PortailFunction;
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    const { definition } = props;
    this.deadLetters = failureQueue(this, `of the ${definition.name} consumer (its rule and its queue)`);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: definition.retries + 1 },
    });
    this.function = new PortailFunction(this, 'Function', {
      entry: definition.entry,
      description: definition.description,
      environment: props.environment,
      timeout: TIMEOUT,
    });
    this.function.lambda.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: definition.batchSize,
        ...(definition.batchSize > 10 ? { maxBatchingWindow: BATCHING_WINDOW } : {}),
        reportBatchItemFailures: true,
        ...(definition.maxConcurrency ? { maxConcurrency: Math.max(2, definition.maxConcurrency) } : {}),
      }),
    );
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      // CloudFormation keeps 512 characters of a description: a long list is summed up.
      description: ruleDescription(definition),
      eventPattern: { source: [EVENT_BUS.source], detailType: [...definition.eventTypes] },
      targets: [
        new SqsQueue(this.queue, {
          deadLetterQueue: this.deadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    this.alarm = deadLetterAlarm(
      this,
      this.deadLetters,
      `Events the ${definition.name} consumer could not handle are waiting in its dead-letter queue (npm run redrive:aws).`,
    );
  }
}
