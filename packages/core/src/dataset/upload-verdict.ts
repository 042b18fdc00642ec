import { describeFile, type FileVerdict } from './file-type';
import type { ResourceUpload } from './resource';

/** S3 and Lambda clocks may disagree a little. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** What finalize found in S3 for an upload: the object's metadata and its first bytes. */
export interface ArrivedObject {
  /** Bytes read; when `truncated`, the object is larger still. */
  size: number;
  truncated: boolean;
  contentType: string | undefined;
  lastModified: Date | undefined;
  head: Uint8Array;
}

const baseMime = (mime: string | undefined) => (mime ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Finalize's decision on an uploaded object. S3 enforces the presigned policy on AWS, but the local
 * platform does not, and a policy is only as good as the checks behind it: so the size, the content type
 * the form was bound to and its expiry are checked again here, then what the bytes are (HTML refused,
 * contents contradicting the name or the declared type refused).
 */
export function judgeUpload(upload: ResourceUpload, arrived: ArrivedObject): FileVerdict {
  if (arrived.truncated || arrived.size > upload.max_bytes) {
    return {
      accepted: false,
      reason: `The file is larger than the ${upload.max_bytes} bytes this upload allows.`,
    };
  }
  if (arrived.size === 0) return { accepted: false, reason: 'The file is empty.' };
  if (upload.multipart_id === null) {
    if (baseMime(arrived.contentType) !== baseMime(upload.mime)) {
      return {
        accepted: false,
        reason: `The file was sent as ${baseMime(arrived.contentType) || 'no content type'}, not the declared ${upload.mime}: the upload form was altered.`,
      };
    }
    if (
      arrived.lastModified &&
      arrived.lastModified.getTime() > Date.parse(upload.expires_at) + CLOCK_SKEW_MS
    ) {
      return { accepted: false, reason: 'The upload form had expired when the file was sent.' };
    }
  }
  return describeFile({ head: arrived.head, filename: upload.filename, declaredMime: upload.mime });
}
