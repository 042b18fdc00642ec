import {
  type CropBox,
  exifOrientation,
  IMAGE_KINDS,
  IMAGE_RULES,
  type ImageFormat,
  type ImageKind,
  orientedSize,
  parseCropBox,
} from '@portail/core';
import { decodeImage, encodeImage, orient, type Raster, squareThumbnail } from './raster';

/** What is kept of an uploaded image: the image itself, upright, and its square PNG thumbnails. */
export interface ProcessedImage {
  original: Buffer;
  /** Largest first, one per size of the image's kind. */
  thumbnails: { size: number; bytes: Buffer }[];
}

/**
 * From an image's bytes (format and declared size already checked) to what is kept: turned upright by
 * its EXIF orientation and re-encoded (no metadata is kept: no location, no camera), and udata's
 * thumbnails of its kind, each a square (`bbox`, in pixels of the upright image, chooses what they
 * show). A bad `bbox` is refused before anything is decoded. Memory: the decoded image, at most twice
 * while it is turned a quarter; each thumbnail is made from the next larger one, not from the image.
 */
export function processImage(
  bytes: Buffer,
  format: ImageFormat,
  size: { width: number; height: number },
  kind: ImageKind,
  bbox: string | undefined,
): ProcessedImage {
  const orientation = exifOrientation(bytes, format);
  const box = parseCropBox(bbox, orientedSize(size, orientation));
  const upright = orient(decodeImage(bytes, format, IMAGE_RULES.maxPixels), orientation);
  const original = encodeImage(upright, format, IMAGE_RULES.jpegQuality);
  return { original, thumbnails: thumbnailsOf(upright, kind, box) };
}

/** udata's thumbnails of a kind, largest first, each made from the next larger one. */
function thumbnailsOf(upright: Raster, kind: ImageKind, box: CropBox | null): ProcessedImage['thumbnails'] {
  const sizes = [...IMAGE_KINDS[kind].sizes].sort((a, b) => b - a);
  const thumbnails: ProcessedImage['thumbnails'] = [];
  let larger: Raster | null = null;
  for (const side of sizes) {
    const thumbnail: Raster = larger
      ? squareThumbnail(larger, side, null)
      : squareThumbnail(upright, side, box);
    thumbnails.push({ size: side, bytes: encodeImage(thumbnail, 'png', IMAGE_RULES.jpegQuality) });
    larger = thumbnail;
  }
  return thumbnails;
}

/**
 * New thumbnails of a kept image (udata's `PUT` on a logo: a new `bbox`, the file not sent again). What
 * is kept is already upright and re-encoded, so it is only decoded: its bytes stay as they are (a JPEG
 * is not re-encoded at every crop). A bad `bbox` is refused before anything is decoded.
 */
export function recropThumbnails(
  kept: Buffer,
  format: ImageFormat,
  size: { width: number; height: number },
  kind: ImageKind,
  bbox: string | undefined,
): ProcessedImage['thumbnails'] {
  const box = parseCropBox(bbox, size);
  return thumbnailsOf(decodeImage(kept, format, IMAGE_RULES.maxPixels), kind, box);
}
