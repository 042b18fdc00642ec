import {
  IMAGE_KINDS,
  IMAGE_RULES,
  type ImageFormat,
  type ImageKind,
  imageDimensions,
  imageExtension,
  imageMime,
  imageUrl,
  NotFoundError,
  newId,
  PayloadTooLargeError,
  type StoredImage,
  sniffImage,
  storedImageKeys,
  UPLOADS_BUCKET,
  ValidationError,
} from '@portail/core';
import { type HttpResult, logger, type MultipartForm } from '@portail/http';
import { uploadsConfig } from '../uploads/config';
import { deleteObjects, headObject, presignImage, putObject, readObject, s3 } from '../uploads/s3';
import { type ProcessedImage, processImage, recropThumbnails } from './process-image';

/**
 * The one way an image comes in through the API, for organization logos, reuse images and avatars alike
 * (udata's `POST …/logo/`, `…/image/`, `/me/avatar/`: a `multipart/form-data` form with the image as
 * `file` and an optional `bbox`): checked by its bytes (PNG or JPEG only, at most IMAGE_RULES.maxBytes
 * and maxPixels), turned upright, re-encoded with its thumbnails (processImage), and all written under
 * `images/<owner id>/`. Nothing is kept of a refused file.
 */
export async function receiveImage(
  form: MultipartForm | undefined,
  kind: ImageKind,
  ownerId: string,
): Promise<StoredImage> {
  const file = form?.files.find((candidate) => candidate.field === 'file');
  if (!file) {
    throw ValidationError.field(
      'file',
      'This field is required: the image, as the part named "file" of a multipart/form-data form.',
    );
  }
  if (file.bytes.length > IMAGE_RULES.maxBytes) {
    throw new PayloadTooLargeError(
      `The image is ${file.bytes.length} bytes; an image may be at most ${IMAGE_RULES.maxBytes} bytes.`,
    );
  }
  const format = sniffImage(file.bytes);
  if (!format) throw ValidationError.field('file', 'Not an image Portail takes: send a PNG or a JPEG file.');
  const size = imageDimensions(file.bytes, format);
  if (!size || size.width === 0 || size.height === 0) {
    throw ValidationError.field(
      'file',
      `The ${format.toUpperCase()} file is damaged: its size cannot be read.`,
    );
  }
  if (size.width * size.height > IMAGE_RULES.maxPixels) {
    throw new PayloadTooLargeError(
      `The image is ${size.width}×${size.height} pixels; an image may have at most ${IMAGE_RULES.maxPixels} pixels.`,
    );
  }
  let processed: ProcessedImage;
  try {
    processed = processImage(file.bytes, format, size, kind, form?.fields.bbox);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    logger.info('image refused: it does not decode', { kind, error: String(error) });
    throw ValidationError.field('file', `The ${format.toUpperCase()} file is damaged: it does not decode.`);
  }
  return writeImage(ownerId, kind, format, processed);
}

/**
 * udata's `PUT` on an image: new thumbnails of the image already kept, cropped to a new `bbox` (the
 * whole image without one), the file not sent again. The image and its new thumbnails are written
 * under a new id (what a URL names never changes); the caller forgets the old ones once replaced.
 */
export async function recropImage(
  kept: StoredImage | null,
  kind: ImageKind,
  ownerId: string,
  bbox: string | undefined,
): Promise<StoredImage> {
  const noImage = `There is no ${IMAGE_KINDS[kind].field} to crop yet: send the image as "file" (with "bbox" if it is to be cropped).`;
  if (!kept) throw ValidationError.field('file', noImage);
  const bytes = await readObject(s3, {
    bucket: uploadsConfig().BUCKET_NAME,
    key: `${UPLOADS_BUCKET.imagesPrefix}${kept.key}`,
  });
  const format = bytes ? sniffImage(bytes) : null;
  const size = bytes && format ? imageDimensions(bytes, format) : null;
  // What Portail kept it decoded itself: anything else means the file is gone.
  if (!bytes || !format || !size) throw ValidationError.field('file', noImage);
  const thumbnails = recropThumbnails(bytes, format, size, kind, bbox);
  return writeImage(ownerId, kind, format, { original: bytes, thumbnails });
}

/** Writes an image and its thumbnails under a new id of the owner's, each key written once. */
async function writeImage(
  ownerId: string,
  kind: ImageKind,
  format: ImageFormat,
  processed: ProcessedImage,
): Promise<StoredImage> {
  const id = newId();
  const files: [string, Buffer, string][] = [
    [`${ownerId}/${id}.${imageExtension(format)}`, processed.original, imageMime(format)],
    ...processed.thumbnails.map(({ size: side, bytes }): [string, Buffer, string] => [
      `${ownerId}/${id}-${side}.png`,
      bytes,
      'image/png',
    ]),
  ];
  const thumbnails = files.slice(1).map(([key]) => key);
  const image: StoredImage = {
    key: files[0]?.[0] ?? '',
    thumbnail_key: `${ownerId}/${id}-${IMAGE_KINDS[kind].thumbnail}.png`,
    thumbnails,
  };
  const bucket = uploadsConfig().BUCKET_NAME;
  await Promise.all(
    files.map(([key, body, type]) =>
      putObject(s3, {
        bucket,
        key: `${UPLOADS_BUCKET.imagesPrefix}${key}`,
        body,
        contentType: type,
        // Each upload has keys of its own: what is at a key never changes.
        cacheControl: 'public, max-age=31536000, immutable',
      }),
    ),
  );
  return image;
}

/** Deletes an image's files once nothing names it (best effort: a leftover costs storage, never a wrong answer). */
export async function forgetImage(image: StoredImage | null): Promise<void> {
  if (!image) return;
  try {
    await deleteObjects(
      s3,
      uploadsConfig().BUCKET_NAME,
      storedImageKeys(image).map((key) => `${UPLOADS_BUCKET.imagesPrefix}${key}`),
    );
  } catch (error) {
    logger.warn('a replaced image was not deleted', { key: image.key, error: String(error) });
  }
}

/** udata's answer to an image upload: `{success, image}` (the new image's URL), with its thumbnail's. */
export function uploadedImage(urls: { api: string }, image: StoredImage) {
  return { success: true, image: imageUrl(urls, image.key), thumbnail: imageUrl(urls, image.thumbnail_key) };
}

/**
 * An image's public URL (`/api/1/images/<owner>/<file>`): GET redirects to a short-lived link to it
 * (served by S3 with its type, cached for good since a key's bytes never change); HEAD answers 200 with
 * its `Content-Length` and `Content-Type`, as hosted files do. Both look the file up first, so an unknown
 * or replaced image answers a 404 problem rather than a redirect to the bucket's own error.
 */
export async function serveImage(owner: string, file: string, method: string): Promise<HttpResult> {
  const bucket = uploadsConfig().BUCKET_NAME;
  const key = `${UPLOADS_BUCKET.imagesPrefix}${owner}/${file}`;
  const mime = file.endsWith('.png') ? 'image/png' : 'image/jpeg';
  const head = await headObject(s3, { bucket, key });
  if (!head) throw new NotFoundError(`No image "${owner}/${file}".`);
  const size = head.size;
  if (method === 'HEAD') {
    return {
      status: 200,
      headers: {
        'content-length': String(size),
        'content-type': mime,
        'cache-control': 'public, max-age=300',
      },
    };
  }
  const location = await presignImage(s3, { bucket, key, mime });
  return { status: 302, headers: { location, 'cache-control': 'public, max-age=300' } };
}
