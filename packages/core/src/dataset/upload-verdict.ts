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
  /** The markup view of the whole head (MarkupHead), past any run of leading whitespace. */
  markup?: Uint8Array;
}

const baseMime = (mime: string | undefined) => (mime ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Finalize's decision on an uploaded object. S3 enforces the presigned policy on AWS, but the local
 * platform does not, and a policy is only as good as the checks behind it: so the size (exactly the one
 * declared), the content type
 * the form was bound to and its expiry are checked again here, then what the bytes are (HTML refused,
 * contents contradicting the name or the declared type refused).
 */
export function judgeUpload(upload: ResourceUpload, arrived: ArrivedObject): FileVerdict {
  const refusal = judgeArrival(upload, arrived);
  if (refusal) return { accepted: false, reason: refusal };
  return describeFile({
    head: arrived.head,
    ...(arrived.markup ? { markup: arrived.markup } : {}),
    filename: upload.filename,
    declaredMime: upload.mime,
  });
}

/**
 * The checks that need only the object's metadata (size, content type, time sent): finalize makes them
 * before copying or reading anything. The reason of a refusal, or null.
 */
export function judgeArrival(
  upload: ResourceUpload,
  arrived: Pick<ArrivedObject, 'size' | 'truncated' | 'contentType' | 'lastModified'>,
): string | null {
  const verdict = arrivalVerdict(upload, arrived);
  return verdict ? verdict.reason : null;
}

function arrivalVerdict(
  upload: ResourceUpload,
  arrived: Pick<ArrivedObject, 'size' | 'truncated' | 'contentType' | 'lastModified'>,
): { accepted: false; reason: string } | null {
  if (arrived.truncated || arrived.size > upload.max_bytes) {
    return {
      accepted: false,
      reason: `The file is larger than the ${upload.max_bytes} bytes this upload allows.`,
    };
  }
  if (arrived.size === 0) return { accepted: false, reason: 'The file is empty.' };
  // The form and the multipart plan were made for the declared size: anything else is another file.
  if (arrived.size !== upload.size) {
    return {
      accepted: false,
      reason: `The file is ${arrived.size} bytes but ${upload.size} bytes were declared.`,
    };
  }
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
  return null;
}
