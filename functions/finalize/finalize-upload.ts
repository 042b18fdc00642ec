import { judgeArrival, judgeUpload, newId } from '@portail/core';
import { logger } from '@portail/http/logger';
import {
  acceptCommunityUpload,
  acceptUpload,
  endCommunityUpload,
  endUpload,
  findDatasetWithResources,
  objectKeys,
} from '@portail/store';
import { copyExactObject, deleteObjects, headObject, openObject, type S3Client } from '../uploads/s3';
import { measure } from './measure';

export type FinalizeOutcome =
  | 'accepted'
  | 'refused'
  | 'orphan'
  | 'duplicate'
  | 'missing'
  | 'changed'
  | 'ignored';

/**
 * Runs on every object created under the uploads prefix. Only the pending upload of a resource may leave
 * an object behind. The object's metadata is checked first (exactly the declared size, the content type
 * the form was bound to, sent before the form expired); then that very version is copied to a key under
 * the accepted prefix, which no form or part URL can write, and the copy is read once (size, SHA-1,
 * SHA-256, head) and judged. Accepted, the resource serves the copy: what was measured is what is
 * served, whatever is sent to the upload key afterwards. Refused, both are deleted and the resource
 * says why. Anything else (a forged key, a superseded or aborted upload, a second send of a form already
 * accepted) is deleted. Safe to run twice on the same object.
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
  // A file accepted before accepted copies existed is served from its upload key: never delete it.
  if (resource?.object_key === object.key) return log('duplicate');
  if (!state || !resource || !upload || upload.id !== parsed.uploadId || upload.key !== object.key) {
    await drop();
    return log('orphan', { why: 'no pending upload for this key' });
  }
  if (upload.status !== 'pending') {
    // Among them: the same form sent again after its file was accepted. The accepted copy stays.
    await drop();
    return log('orphan', { why: `upload ${upload.status}` });
  }

  const source = await headObject(client, object);
  // Already refused and deleted by an earlier delivery of the same event.
  if (!source) return log('missing');
  let copy: { key: string; versionId: string | undefined } | null = null;
  const dropCopy = async () => {
    if (copy) await deleteObjects(client, object.bucket, [copy.key], copy.versionId);
  };
  const refuse = async (reason: string) => {
    // Refused bytes go first (and do not linger as an old version either): once the resource says
    // refused, nothing of the upload is left.
    await Promise.all([drop(source.versionId), dropCopy()]);
    const outcome = { status: 'refused' as const, reason };
    await (community
      ? endCommunityUpload(community, upload.id, outcome)
      : endUpload(resource, upload.id, outcome));
    return log('refused', { reason });
  };
  if (state.dataset.deleted) return refuse('The dataset was deleted during the upload.');
  const early = judgeArrival(upload, {
    size: source.size,
    truncated: false,
    contentType: source.contentType,
    lastModified: source.lastModified,
  });
  if (early) return refuse(early);

  const copyKey = objectKeys.accepted(
    parsed.datasetId,
    parsed.resourceId,
    upload.id,
    newId(),
    parsed.fileName,
  );
  const copied = await copyExactObject(client, {
    bucket: object.bucket,
    from: object.key,
    to: copyKey,
    source: { etag: source.etag ?? '', versionId: source.versionId, size: source.size },
  });
  // Sent again meanwhile: the newer object has its own event and its own run.
  if (!copied) return log('changed');
  copy = { key: copyKey, versionId: copied.versionId };

  const answer = await openObject(client, {
    bucket: object.bucket,
    key: copy.key,
    ...(copy.versionId ? { versionId: copy.versionId } : {}),
  });
  if (!answer) return log('missing');
  // A Node stream: stop it when the rest is not needed.
  const measured = await measure(answer.body, upload.size);
  if (measured.truncated) answer.body.destroy();
  const verdict = judgeUpload(upload, {
    size: measured.size,
    truncated: measured.truncated,
    contentType: answer.contentType,
    // When the browser sent it, not when it was copied.
    lastModified: source.lastModified,
    head: measured.head,
    markup: measured.markup,
  });
  if (!verdict.accepted) return refuse(verdict.reason);

  const file = {
    key: copy.key,
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
    await Promise.all([drop(source.versionId), dropCopy()]);
    return log('orphan', { why: 'superseded while being measured' });
  }
  // The uploaded object has done its part; the replaced file goes only now that the new one is served.
  await drop(source.versionId);
  if (accepted.replaced && accepted.replaced !== copy.key) {
    await deleteObjects(client, object.bucket, [accepted.replaced]);
  }
  return log('accepted', {
    size: measured.size,
    format: verdict.format,
    served: copy.key,
    replaced: accepted.replaced,
  });
}
