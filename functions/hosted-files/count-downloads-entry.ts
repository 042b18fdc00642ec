import { gunzipSync } from 'node:zlib';
import { downloadWindow, hostedFileDownloadsIn, parseCloudFrontLog } from '@portail/core';
import { logger, withLogging } from '@portail/http/logger';
import { storeConfig } from '@portail/store';
import type { S3Event } from 'aws-lambda';
import { visitOf } from '../events/record-statistic';
import { countHostedFileDownload } from '../statistics/count-statistics';
import { readObject, s3 } from '../uploads/s3';

storeConfig();

/** Downloads counted at once within a log file: each is one small transaction. */
const PARALLEL = 8;

/** A log file's text: CloudFront delivers them gzipped (the local server too). */
function textOf(bytes: Buffer): string {
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * Counts the downloads of hosted files from one standard log file of the distribution, when it lands
 * in the log bucket (an S3 notification; locally, s3rver's). Each download is counted once per visit
 * (client, resource, window) with the markers the API's counting uses, so a file delivered twice, or a
 * batch retried after a failure, adds nothing the second time.
 */
export const handler = withLogging(async (event: S3Event) => {
  const failures: unknown[] = [];
  let total = 0;
  for (const record of event.Records ?? []) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const bytes = await readObject(s3, { bucket, key });
    if (!bytes) {
      logger.warn('a log file announced is not there', { bucket, key });
      continue;
    }
    const downloads = hostedFileDownloadsIn(parseCloudFrontLog(textOf(bytes)));
    total += downloads.length;
    for (let start = 0; start < downloads.length; start += PARALLEL) {
      const results = await Promise.allSettled(
        downloads.slice(start, start + PARALLEL).map((download) =>
          countHostedFileDownload({
            datasetId: download.datasetId,
            resourceId: download.resourceId,
            at: download.at,
            visit: visitOf(
              downloadWindow(download.at),
              download.resourceId,
              download.clientIp,
              download.userAgent,
            ),
          }),
        ),
      );
      for (const result of results) if (result.status === 'rejected') failures.push(result.reason);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} of ${total} file downloads not counted`);
  }
});
