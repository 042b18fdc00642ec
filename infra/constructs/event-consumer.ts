import { EVENT_BUS, type EventConsumerDefinition } from '@portail/core';
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm, failureQueue } from './failure-queue';
import { PortailFunction } from './portail-function';

export interface EventConsumerProps {
  bus: IEventBus;
  /** Its line of the consumer table (functions/consumers.ts): entry, event types, retries. */
  definition: EventConsumerDefinition;
  environment: Record<string, string>;
}

function ruleDescription(definition: EventConsumerDefinition): string {
  const full = `${definition.name}: ${definition.eventTypes.join(', ')}`;
  return full.length <= 512 ? full : `${definition.name}: ${definition.eventTypes.length} event types`;
}

/** Lambda retries a failed asynchronous invocation at most twice. */
const MAX_FUNCTION_RETRIES = 2;

/**
 * A consumer of the bus: a rule on the event types it reads, targeting its function. A delivery that
 * fails (the function throws) is retried by Lambda with backoff, then lands in the dead-letter queue
 * with the event; so does an event EventBridge could not hand to the function. An alarm goes off as
 * soon as the queue holds a message; `npm run redrive -- --aws` puts them back.
 */
export class EventConsumer extends Construct {
  readonly function: PortailFunction;
  readonly deadLetters: Queue;
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    const { definition } = props;
    this.deadLetters = failureQueue(this, `of the ${definition.name} consumer (its rule and its function)`);
    this.function = new PortailFunction(this, 'Function', {
      entry: definition.entry,
      description: definition.description,
      environment: props.environment,
      timeout: Duration.minutes(5),
    });
    this.function.lambda.configureAsyncInvoke({
      retryAttempts: Math.min(definition.retries, MAX_FUNCTION_RETRIES),
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetters),
    });
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      // CloudFormation keeps 512 characters of a description: a long list is summed up.
      description: ruleDescription(definition),
      eventPattern: { source: [EVENT_BUS.source], detailType: [...definition.eventTypes] },
      targets: [
        new LambdaFunction(this.function.lambda, {
          deadLetterQueue: this.deadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    this.alarm = deadLetterAlarm(
      this,
      this.deadLetters,
      `Events the ${definition.name} consumer could not handle are waiting in its dead-letter queue (npm run redrive -- --aws).`,
    );
  }
}
