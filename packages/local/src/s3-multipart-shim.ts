import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** The slice of Koa's context the shim uses (s3rver is a Koa application). */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
}
type Middleware = (context: KoaContext, next: () => Promise<void>) => Promise<void>;

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function noSuchUpload(context: KoaContext, uploadId: string) {
  context.status = 404;
  context.type = 'application/xml';
  context.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${xml(uploadId)}</UploadId></Error>`;
}

/**
 * ListParts and AbortMultipartUpload, which s3rver lacks, answered from s3rver's own files (each
 * unfinished upload is a folder of part files under `<bucket>/._S3rver_uploads/<upload id>/`). With
 * them the local platform runs the resumable upload flow exactly as S3 does.
 */
export function multipartShim(directory: string): Middleware {
  return async (context, next) => {
    const uploadId = context.query.uploadId;
    const match = /^\/([^/]+)\/(.+)$/.exec(context.path);
    if (typeof uploadId !== 'string' || !match || !/^[0-9a-f]+$/.test(uploadId)) return next();
    if (context.method !== 'GET' && context.method !== 'DELETE') return next();
    const [, bucket, key] = match as unknown as [string, string, string];
    const folder = path.join(directory, bucket, '._S3rver_uploads', uploadId);
    const exists = await stat(folder).then(
      () => true,
      () => false,
    );
    if (!exists) return noSuchUpload(context, uploadId);
    if (context.method === 'DELETE') {
      await rm(folder, { recursive: true, force: true });
      context.status = 204;
      context.body = '';
      return;
    }
    const numbers = (await readdir(folder))
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => a - b);
    // s3rver writes a part's checksum once the part has fully arrived: a part without one was cut off
    // mid-way (a closed tab, a lost connection) and, as on S3, is not listed.
    const parts = (
      await Promise.all(
        numbers.map(async (number) => {
          const file = path.join(folder, String(number));
          const md5 = await readFile(`${file}.md5`, 'utf8').catch(() => null);
          if (md5 === null) return null;
          const info = await stat(file);
          return `<Part><PartNumber>${number}</PartNumber><LastModified>${info.mtime.toISOString()}</LastModified><ETag>"${md5.trim()}"</ETag><Size>${info.size}</Size></Part>`;
        }),
      )
    ).filter((part) => part !== null);
    context.status = 200;
    context.type = 'application/xml';
    context.body = [
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult>',
      `<Bucket>${xml(bucket)}</Bucket><Key>${xml(decodeURIComponent(key))}</Key><UploadId>${uploadId}</UploadId>`,
      `<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>${numbers.at(-1) ?? 0}</NextPartNumberMarker>`,
      `<MaxParts>${Math.max(numbers.length, 1000)}</MaxParts><IsTruncated>false</IsTruncated>`,
      ...parts,
      '</ListPartsResult>',
    ].join('');
  };
}
