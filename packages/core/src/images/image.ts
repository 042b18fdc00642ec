import * as z from 'zod';
import { ValidationError } from '../errors';
import { lazySchema } from '../lazy-schema';

/**
 * Images people upload through the API (udata's organization logo, reuse image, user avatar): one set
 * of rules for the three. Only PNG and JPEG are taken; what is kept is re-encoded from the decoded pixels
 * turned upright by their EXIF orientation (no metadata, nothing but an image behind the URL), beside
 * udata's square PNG thumbnails, one per size of its kind.
 */
export const IMAGE_RULES = {
  /** Largest file accepted, in bytes (one API request carries it whole). */
  maxBytes: 3 * 1024 * 1024,
  /** Largest image accepted, in pixels (width × height), checked from its header before decoding. */
  maxPixels: 20_000_000,
  /** JPEG quality of what is kept. */
  jpegQuality: 90,
} as const;

/**
 * What each upload is for: udata's field name, the sides of the square thumbnails it keeps (udata's
 * `LOGO_SIZES`, reuse `IMAGE_SIZES`, `AVATAR_SIZES`), and the one its `…_thumbnail` field shows (the
 * largest, as udata's `BIGGEST_…_SIZE`).
 */
export const IMAGE_KINDS = {
  logo: { field: 'logo', sizes: [100, 60, 25], thumbnail: 100 },
  'reuse-image': { field: 'image', sizes: [500, 100, 50, 25], thumbnail: 500 },
  avatar: { field: 'avatar', sizes: [500, 200, 100, 32, 25], thumbnail: 500 },
} as const;
export type ImageKind = keyof typeof IMAGE_KINDS;

export type ImageFormat = 'png' | 'jpeg';

/**
 * Where an uploaded image and its thumbnails are kept (keys under the bucket's images prefix):
 * `thumbnail_key` is the one its `…_thumbnail` field shows, `thumbnails` every size kept (absent for
 * images kept before there was more than one).
 */
export const StoredImageSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    key: z.string(),
    thumbnail_key: z.string(),
    thumbnails: z.array(z.string()).optional(),
  }),
);
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

/** Every key an image occupies: the image and all its thumbnails. */
export function storedImageKeys(image: StoredImage): string[] {
  return [...new Set([image.key, image.thumbnail_key, ...(image.thumbnails ?? [])])];
}

/**
 * The size of an image scaled to fit a `side` square (udata's thumbnails: the longer side becomes the
 * square's side, enlarged or shrunk; the rest of the square is transparent).
 */
export function fitInSquare(width: number, height: number, side: number): { width: number; height: number } {
  const scale = side / Math.max(width, height);
  return {
    width: Math.min(side, Math.max(1, Math.round(width * scale))),
    height: Math.min(side, Math.max(1, Math.round(height * scale))),
  };
}

/**
 * EXIF orientations (1 upright … 8), which cameras write instead of turning the pixels: what the
 * stored pixels must undergo to show as the photographer saw them.
 */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** The orientation an EXIF block (a TIFF structure) gives its image in IFD0's tag 0x0112; 1 when none. */
function tiffOrientation(view: Buffer, start: number, end: number): ExifOrientation {
  if (start + 8 > end) return 1;
  const order = view.toString('latin1', start, start + 2);
  if (order !== 'II' && order !== 'MM') return 1;
  const little = order === 'II';
  const u16 = (at: number) => (little ? view.readUInt16LE(at) : view.readUInt16BE(at));
  const u32 = (at: number) => (little ? view.readUInt32LE(at) : view.readUInt32BE(at));
  if (u16(start + 2) !== 42) return 1;
  const ifd = start + u32(start + 4);
  if (ifd + 2 > end) return 1;
  const entries = u16(ifd);
  for (let index = 0; index < entries; index++) {
    const entry = ifd + 2 + index * 12;
    if (entry + 12 > end) return 1;
    if (u16(entry) !== 0x0112) continue;
    // A SHORT (type 3), kept in the first two bytes of the entry's value field.
    const value = u16(entry + 2) === 3 ? u16(entry + 8) : 1;
    return value >= 1 && value <= 8 ? (value as ExifOrientation) : 1;
  }
  return 1;
}

/**
 * The EXIF orientation of a JPEG (its APP1 `Exif` segment) or a PNG (its `eXIf` chunk), read from the
 * bytes before anything is decoded; 1 (upright) when there is none or it cannot be read.
 */
export function exifOrientation(bytes: Uint8Array, format: ImageFormat): ExifOrientation {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') {
    let position = 8;
    while (position + 12 <= view.length) {
      const length = view.readUInt32BE(position);
      const type = view.toString('latin1', position + 4, position + 8);
      if (type === 'eXIf') {
        return tiffOrientation(view, position + 8, Math.min(view.length, position + 8 + length));
      }
      if (type === 'IDAT' || type === 'IEND') return 1;
      position += 12 + length;
    }
    return 1;
  }
  let position = 2;
  while (position + 4 <= view.length) {
    if (view[position] !== 0xff) return 1;
    const marker = view[position + 1] ?? 0;
    if (marker === 0xff) {
      position++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      position += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return 1;
    const length = view.readUInt16BE(position + 2);
    if (length < 2) return 1;
    const end = Math.min(view.length, position + 2 + length);
    if (marker === 0xe1 && view.toString('latin1', position + 4, position + 10) === 'Exif\0\0') {
      return tiffOrientation(view, position + 10, end);
    }
    position += 2 + length;
  }
  return 1;
}

/** The size an image shows at once turned by its orientation (5 to 8 swap width and height). */
export function orientedSize(
  size: { width: number; height: number },
  orientation: ExifOrientation,
): { width: number; height: number } {
  return orientation >= 5 ? { width: size.height, height: size.width } : size;
}

/** A crop of an image, in its pixels as shown (after its orientation): right and bottom excluded. */
export interface CropBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * udata's `bbox` form field (`left,top,right,bottom`, in pixels of the image as shown, numbers that may
 * have decimals, truncated as udata does): the part of the image its thumbnails show, scaled to their
 * square. A box that is not four numbers, is empty, or leaves the image is a 400 naming `bbox` (udata
 * would crop outside the image into black).
 */
export function parseCropBox(
  text: string | undefined,
  size: { width: number; height: number },
): CropBox | null {
  if (text === undefined || text.trim() === '') return null;
  const parts = text.split(',').map((part) => part.trim());
  const numbers = parts.map((part) =>
    /^-?\d+(?:\.\d+)?$/.test(part) ? Math.trunc(Number(part)) : Number.NaN,
  );
  if (numbers.length !== 4 || numbers.some((value) => !Number.isFinite(value))) {
    throw ValidationError.field(
      'bbox',
      'Expected four numbers "left,top,right,bottom", in pixels of the image.',
    );
  }
  const [left, top, right, bottom] = numbers as [number, number, number, number];
  if (left < 0 || top < 0 || right > size.width || bottom > size.height || left >= right || top >= bottom) {
    throw ValidationError.field(
      'bbox',
      `The box ${left},${top},${right},${bottom} is not a part of the ${size.width}×${size.height} image: expected 0 ≤ left < right ≤ ${size.width} and 0 ≤ top < bottom ≤ ${size.height}.`,
    );
  }
  return { left, top, right, bottom };
}
