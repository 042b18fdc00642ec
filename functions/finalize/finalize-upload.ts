import { GetObjectCommand, type GetObjectCommandOutput, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { judgeUpload } from '@portail/core';
import { logger } from '@portail/http/logger';
import {
  acceptCommunityUpload,
  acceptUpload,
  endCommunityUpload,
  endUpload,
  findDatasetWithResources,
  objectKeys,
} from '@portail/store';
import { deleteObjects } from '../uploads/s3';
import { measure } from './measure';

export type FinalizeOutcome = 'accepted' | 'refused' | 'orphan' | 'duplicate' | 'missing' | 'ignored';

/**
 * Runs on every object created under the uploads prefix. Only the pending upload of a resource may leave
 * an object behind: the object is read once (size, SHA-1, SHA-256, first bytes), judged, and then either
 * the resource shows it (and the file it replaces is deleted) or it is deleted and the resource says why.
 * Anything else (a forged key, a superseded or aborted upload) is deleted: no object without a resource.
 * Safe to run twice on the same object.
 */
export async function finalizeUpload(
  client: S3Client,
  object: { bucket: string; key: string },
): Promise<FinalizeOutcome> {
  const log = (outcome: FinalizeOutcome, details: Record<string, unknown> = {}) => {
    logger.info('finalize', { key: object.key, outcome, ...details });
    return outcome;
  };
  const drop = (versionId?: string) => deleteObjects(client, object.bucket, [object.key], versionId);
  const parsed = objectKeys.parse(object.key);
  if (!parsed) {
    await drop();
    return log('orphan', { why: 'not a key Portail hands out' });
  }
  const state = await findDatasetWithResources(parsed.datasetId);
  // A producer's resource, or a community resource (same upload flow, same key layout).
  const community = state?.communityResources?.find((candidate) => candidate.id === parsed.resourceId);
  const resource = state?.resources.find((candidate) => candidate.id === parsed.resourceId) ?? community;
  const upload = resource?.upload;
  if (resource?.object_key === object.key) return log('duplicate');
  if (!state || !resource || !upload || upload.id !== parsed.uploadId || upload.key !== object.key) {
    await drop();
    return log('orphan', { why: 'no pending upload for this key' });
  }
  if (upload.status !== 'pending') {
    await drop();
    return log('orphan', { why: `upload ${upload.status}` });
  }

  let answer: GetObjectCommandOutput;
  try {
    answer = await client.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
  } catch (error) {
    // Already refused and deleted by an earlier delivery of the same event.
    if (error instanceof NoSuchKey) return log('missing');
    throw error;
  }
  const refuse = async (reason: string) => {
    const outcome = { status: 'refused' as const, reason };
    await (community
      ? endCommunityUpload(community, upload.id, outcome)
      : endUpload(resource, upload.id, outcome));
    // Refused bytes do not linger as an old version either.
    await drop(answer.VersionId);
    return log('refused', { reason });
  };
  // On Node the body is a Readable stream: stop it when the rest is not needed.
  const body = answer.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (!body) throw new Error(`S3 returned no body for ${object.key}`);
  if (state.dataset.deleted) {
    body.destroy?.();
    return refuse('The dataset was deleted during the upload.');
  }

  const measured = await measure(body, upload.max_bytes);
  if (measured.truncated) body.destroy?.();
  const verdict = judgeUpload(upload, {
    size: measured.size,
    truncated: measured.truncated,
    contentType: answer.ContentType,
    lastModified: answer.LastModified,
    head: measured.head,
  });
  if (!verdict.accepted) return refuse(verdict.reason);

  const file = {
    size: measured.size,
    sha1: measured.sha1,
    sha256: measured.sha256,
    format: verdict.format,
    mime: verdict.mime,
  };
  const accepted = community
    ? await acceptCommunityUpload(community, upload.id, file)
    : await acceptUpload(state, resource.id, upload.id, file);
  if (!accepted) {
    await drop(answer.VersionId);
    return log('orphan', { why: 'superseded while being measured' });
  }
  // The replaced file goes only now that the new one is served.
  if (accepted.replaced && accepted.replaced !== object.key) {
    await deleteObjects(client, object.bucket, [accepted.replaced]);
  }
  return log('accepted', { size: measured.size, format: verdict.format, replaced: accepted.replaced });
}
