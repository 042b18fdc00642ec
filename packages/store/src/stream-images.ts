import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

type Image = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;
type Value = Image[string];

/**
 * Drops attribute values that name no type: a stream read through the SDK (the local platform's poller)
 * may give an empty map or list as `{}`. Consumers read images through schemas with defaults, and the
 * outbox keeps its events as JSON text, so nothing they need is lost.
 */
function typed(image: Record<string, Value>): Record<string, Value> {
  const kept: Record<string, Value> = {};
  for (const [name, value] of Object.entries(image)) {
    const defined = Object.entries(value).filter(([, inner]) => inner !== undefined);
    if (defined.length === 0) continue;
    if (value.M) kept[name] = { M: typed(value.M) };
    else if (value.L) kept[name] = { L: value.L.filter((inner) => Object.keys(inner).length > 0) };
    else kept[name] = value;
  }
  return kept;
}

function plain(image: Image | undefined): Record<string, unknown> | undefined {
  // The Lambda event's AttributeValue type and the SDK's describe the same wire shape.
  return image ? unmarshall(typed(image) as Record<string, AttributeValue>) : undefined;
}

/** The item before and after a stream record's change, as the document client would read it. */
export function streamImages(record: DynamoDBRecord): {
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
} {
  return { before: plain(record.dynamodb?.OldImage), after: plain(record.dynamodb?.NewImage) };
}
