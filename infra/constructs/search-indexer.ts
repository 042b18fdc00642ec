import { streamConsumer } from '@portail/functions/consumers';
import { keys } from '@portail/store/keys';
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PortailFunction } from './portail-function';
import type { SearchCollection } from './search-collection';
import { StreamConsumer } from './stream-consumer';

export interface SearchIndexerProps {
  table: ITable;
  collection: SearchCollection;
}

/**
 * Keeps the search collection in step with the table (the `search` stream consumer: it reads the
 * changed objects and writes their documents), and the function `npm run reindex:aws` invokes to
 * rebuild the indexes behind their aliases. Both read the table; the consumer also settles the
 * markers of hidden datasets (their partition only).
 */
export class SearchIndexer extends Construct {
  readonly function: PortailFunction;
  readonly failures: Queue;
  readonly rebuild: PortailFunction;

  constructor(scope: Construct, id: string, props: SearchIndexerProps) {
    super(scope, id);
    const tableArn = `<${Stack.of(props.table).getLogicalId(props.table.node.defaultChild as CfnElement)}.Arn>`;
    const consumer = new StreamConsumer(this, 'Indexer', {
      table: props.table,
      definition: streamConsumer('search'),
      environment: { TABLE_NAME: props.table.tableName },
    });
    this.function = consumer.function;
    this.failures = consumer.failures;
    props.table.grantReadData(this.function.lambda);
    // It settles the markers of hidden datasets once their hidden state is searchable, and writes nothing else.
    this.function.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.searchHiddenPartition('datasets')] },
        },
      }),
    );
    props.collection.grant(this.function, 'index');

    this.rebuild = new PortailFunction(this, 'Rebuild', {
      entry: 'functions/search-indexer/rebuild-entry.ts',
      description: 'Portail: rebuilds the search indexes from the table (npm run reindex:aws)',
      environment: { TABLE_NAME: props.table.tableName },
      timeout: Duration.minutes(15),
    });
    props.table.grantReadData(this.rebuild.lambda);
    props.collection.grant(this.rebuild, 'rebuild');
    for (const fn of [this.function, this.rebuild]) {
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
        reason: 'Reads the listings of datasets, organizations and reuses on this table’s indexes only.',
      });
    }
  }
}
