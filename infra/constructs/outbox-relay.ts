import { streamConsumer } from '@portail/functions/consumers';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PortailFunction } from './portail-function';
import { StreamConsumer } from './stream-consumer';

export interface OutboxRelayProps {
  table: ITable;
  bus: IEventBus;
}

/** Carries outbox items from the table's stream to the bus; outbox items stay in the table for a week. */
export class OutboxRelay extends Construct {
  readonly function: PortailFunction;
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: OutboxRelayProps) {
    super(scope, id);
    const consumer = new StreamConsumer(this, 'Relay', {
      table: props.table,
      definition: streamConsumer('relay'),
      environment: { EVENT_BUS_NAME: props.bus.eventBusName },
    });
    this.function = consumer.function;
    this.failures = consumer.failures;
    props.bus.grantPutEventsTo(this.function.lambda);
  }
}
