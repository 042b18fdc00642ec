import { logger } from '@portail/http/logger';
import { type CountedChange, countersOfItem, foldCounterChanges, streamImages } from '@portail/store';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Keeps the listings' totals from the table's stream: each change of a dataset, user, organization or
 * community resource moves it out of the totals its old image counted in and into those of its new
 * image. Write paths stay free of shared counter items (parallel writers never collide on them), and
 * the totals are exact once the stream has drained. A record is folded once, whatever the retries.
 */
export async function foldCounters(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const changes: CountedChange[] = [];
  let unreadable: number | undefined;
  for (const [index, record] of event.Records.entries()) {
    try {
      const { before, after } = streamImages(record);
      changes.push({
        id: record.eventID ?? record.dynamodb?.SequenceNumber ?? '',
        before: countersOfItem(before),
        after: countersOfItem(after),
      });
    } catch (error) {
      logger.error('an item that counts could not be read', error as Error);
      unreadable = index;
      break;
    }
  }
  let folded = 0;
  try {
    await foldCounterChanges(changes, (upTo) => {
      folded = upTo;
    });
  } catch (error) {
    logger.error('could not fold counter changes', error as Error);
    unreadable = folded;
  }
  logger.info('folded counter changes', { count: folded });
  if (unreadable === undefined) return { batchItemFailures: [] };
  return {
    batchItemFailures: [{ itemIdentifier: event.Records[unreadable]?.dynamodb?.SequenceNumber ?? '' }],
  };
}
