import { servedMimeTypes } from '../dataset/file-type';
import { UPLOADS_BUCKET } from './resources';

/**
 * Hosted files are served straight from storage, as udata serves its static URLs: the path of a file
 * under the site is its object key (`/files/<dataset>/<resource>/<upload>/<run>/<file name>`), so it
 * ends in the file's name, and the distribution reads it from the uploads bucket with no function in
 * between. Only accepted copies live under this prefix (finalize writes them once measured); pending
 * uploads are under another prefix the distribution cannot read.
 */
export const HOSTED_FILES = {
  /** The path prefix of hosted files on the site: the accepted prefix of the uploads bucket. */
  pathPrefix: `/${UPLOADS_BUCKET.acceptedPrefix}`,
  /** Segments of a hosted file's key: prefix, dataset, resource, upload, finalize run, file name. */
  segments: 6,
  /** Where the distribution's standard log files land in the log bucket (the local server's too). */
  logPrefix: 'cdn/',
} as const;

/** The events after which a dataset's files may have to be hidden or served again (the `hidden-files` consumer). */
export const HIDDEN_FILES_INPUTS = [
  'dataset.created',
  'dataset.updated',
  'dataset.deleted',
  'dataset.restored',
  'dataset.resource.removed',
  'dataset.community-resource.removed',
] as const;

/** The public URL of an accepted file: the site's base and the object key, which ends in the file's name. */
export function hostedFileUrl(siteUrl: string, objectKey: string): string {
  return `${siteUrl}/${objectKey}`;
}

/** The ids a hosted file's path (or object key) names, or null for any other path. */
export function hostedFileIds(
  pathOrKey: string,
): { datasetId: string; resourceId: string; fileName: string } | null {
  const key = pathOrKey.startsWith('/') ? pathOrKey.slice(1) : pathOrKey;
  const parts = key.split('/');
  if (parts.length !== HOSTED_FILES.segments || `${parts[0]}/` !== UPLOADS_BUCKET.acceptedPrefix) return null;
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return null;
  return { datasetId: parts[1]!, resourceId: parts[2]!, fileName: parts[5]! };
}

/**
 * The keys of the hidden-files store naming what must not be served: the id of a private or deleted
 * dataset, the id of a removed resource. The store holds only these (present means hidden).
 */
export const HIDDEN_FILES = {
  /** The value stored under a hidden id (CloudFront's key value store needs one). */
  value: 'hidden',
} as const;

/**
 * The viewer-request function of the hosted files' behaviour, for CloudFront's JavaScript runtime 2.0:
 * a path that is not a file's shape, or whose dataset or resource is in the hidden-files key value
 * store, is a 404 (a private dataset's file is not found, as the dataset is); anything else goes to the
 * bucket without its query string. The local server runs this same source on the same store's local
 * copy, so what is tested locally is what CloudFront runs.
 */
export function hostedFilesGateSource(storeId: string): string {
  return `import cf from 'cloudfront';
var hidden = cf.kvs('${storeId}');
var PREFIX = '${UPLOADS_BUCKET.acceptedPrefix.slice(0, -1)}';
function notFound() {
  return {
    statusCode: 404,
    statusDescription: 'Not Found',
    headers: { 'content-type': { value: 'application/problem+json' }, 'cache-control': { value: 'no-store' } },
    body: { encoding: 'text', data: '{"type":"about:blank","status":404,"title":"Not found","detail":"No such file."}' },
  };
}
async function handler(event) {
  var request = event.request;
  var parts = request.uri.split('/');
  if (parts.length !== ${HOSTED_FILES.segments + 1} || parts[1] !== PREFIX) return notFound();
  for (var i = 2; i < parts.length; i++) {
    if (parts[i] === '' || parts[i] === '.' || parts[i] === '..') return notFound();
  }
  if ((await hidden.exists(parts[2])) || (await hidden.exists(parts[3]))) return notFound();
  request.querystring = {};
  return request;
}
`;
}

/**
 * The viewer-response function of the hosted files' behaviour (runtime 2.0): a file sent (whole or a
 * range) gets the type its name's extension says (what finalize measured it as, whatever its uploader
 * declared; `application/octet-stream` for a name Portail has no type for), is offered as a download
 * under the name its URL ends in, and is never sniffed into another type. Run by the local server on
 * its answers too.
 */
export function hostedFilesHeadersSource(): string {
  return `var TYPES = ${JSON.stringify(servedMimeTypes())};
function handler(event) {
  var response = event.response;
  if (response.statusCode === 200 || response.statusCode === 206) {
    var name = event.request.uri.split('/').pop();
    var dot = name.lastIndexOf('.');
    var extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
    var type = Object.prototype.hasOwnProperty.call(TYPES, extension) ? TYPES[extension] : 'application/octet-stream';
    response.headers['content-type'] = { value: type };
    response.headers['content-disposition'] = { value: 'attachment; filename="' + name + '"' };
    response.headers['x-content-type-options'] = { value: 'nosniff' };
  }
  return response;
}
`;
}
