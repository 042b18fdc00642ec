import { EVENT_BUS } from '@portail/core';
import { Duration, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

/** The bus every domain event goes to, with an archive so consumers can replay what they missed. */
export class PortailEventBus extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.bus = new EventBus(this, 'Bus', {
      eventBusName: `${Stack.of(this).stackName.toLowerCase()}-events`,
      description: 'Portail domain events, relayed from the table outbox.',
    });
    this.bus.archive('Archive', {
      description: 'Every Portail event, for replay after a consumer failure.',
      eventPattern: { source: [EVENT_BUS.source] },
      retention: Duration.days(30),
    });
  }
}
