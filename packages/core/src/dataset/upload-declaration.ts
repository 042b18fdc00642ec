import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { HTML_REFUSAL, isHtmlMime, isHtmlName } from './file-type';
import { S3_MULTIPART_LIMITS, type UploadRequest } from './uploads';

/** The refusals an upload gets before any byte is sent: HTML (415, as udata) and S3's size ceiling. */
export function checkUploadDeclaration(request: Pick<UploadRequest, 'filename' | 'mime' | 'size'>): void {
  if (isHtmlName(request.filename) || isHtmlMime(request.mime))
    throw new UnsupportedMediaTypeError(HTML_REFUSAL);
  if (request.size > S3_MULTIPART_LIMITS.maxObjectBytes) {
    throw new PayloadTooLargeError(
      `The file is ${request.size} bytes; the largest file accepted is ${S3_MULTIPART_LIMITS.maxObjectBytes} bytes (5 TiB).`,
    );
  }
}
