import * as z from 'zod';

/**
 * Images people upload through the API (udata's organization logo, reuse image, user avatar): one set
 * of rules for the three. Only PNG and JPEG are taken; what is kept is re-encoded from the decoded pixels
 * (no metadata, nothing but an image behind the URL), beside a thumbnail that fits in a square.
 */
export const IMAGE_RULES = {
  /** Largest file accepted, in bytes (one API request carries it whole). */
  maxBytes: 3 * 1024 * 1024,
  /** Largest image accepted, in pixels (width × height), checked from its header before decoding. */
  maxPixels: 20_000_000,
  /** JPEG quality of what is kept. */
  jpegQuality: 90,
} as const;

/** What each upload is for: udata's field names and the side of the square its thumbnail fits in. */
export const IMAGE_KINDS = {
  logo: { field: 'logo', thumbnail: 100 },
  'reuse-image': { field: 'image', thumbnail: 500 },
  avatar: { field: 'avatar', thumbnail: 500 },
} as const;
export type ImageKind = keyof typeof IMAGE_KINDS;

export type ImageFormat = 'png' | 'jpeg';

/** Where an uploaded image and its thumbnail are kept (keys under the bucket's images prefix). */
export const StoredImageSchema = z.object({ key: z.string(), thumbnail_key: z.string() });
export type StoredImage = z.infer<typeof StoredImageSchema>;

/** An image's file name as its URL ends: `<image id>.<ext>`, or `<image id>-<size>.<ext>` for a thumbnail. */
export const IMAGE_FILE_NAME = /^[0-9a-f]{24}(?:-[0-9]{1,4})?\.(?:png|jpg)$/;

/** The public URL of a stored image: `key` is `<owner id>/<file name>`. */
export function imageUrl(urls: { api: string }, key: string): string {
  return `${urls.api}/api/1/images/${key}`;
}

/** `{image, image_thumbnail}`-like URLs of a stored image, null when there is none. */
export function imageUrls(urls: { api: string }, image: StoredImage | null | undefined) {
  return {
    original: image ? imageUrl(urls, image.key) : null,
    thumbnail: image ? imageUrl(urls, image.thumbnail_key) : null,
  };
}

export function imageExtension(format: ImageFormat): 'png' | 'jpg' {
  return format === 'png' ? 'png' : 'jpg';
}

export function imageMime(format: ImageFormat): string {
  return format === 'png' ? 'image/png' : 'image/jpeg';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What the bytes are, by their signature (never by name or declared type); null when neither format. */
export function sniffImage(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 24 && Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Start-of-frame markers of JPEG (SOF0–SOF15 but DHT, JPG and DAC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * The dimensions an image's header declares, read before anything is decoded (a small file may declare
 * a huge image); null when the header cannot be read.
 */
export function imageDimensions(
  bytes: Uint8Array,
  format: ImageFormat,
): { width: number; height: number } | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') {
    if (view.length < 24 || view.toString('latin1', 12, 16) !== 'IHDR') return null;
    return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
  }
  let position = 2;
  while (position + 4 <= view.length) {
    if (view[position] !== 0xff) return null;
    const marker = view[position + 1] ?? 0;
    if (marker === 0xff) {
      position++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      position += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    const length = view.readUInt16BE(position + 2);
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      if (position + 9 > view.length) return null;
      return { height: view.readUInt16BE(position + 5), width: view.readUInt16BE(position + 7) };
    }
    position += 2 + length;
  }
  return null;
}

/** The size of a thumbnail fitting in a `side` square, never larger than the image. */
export function thumbnailSize(
  width: number,
  height: number,
  side: number,
): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}
