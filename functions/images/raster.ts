import { type CropBox, type ExifOrientation, fitInSquare, type ImageFormat } from '@portail/core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** Decoded pixels: 4 bytes (RGBA) a pixel, row after row. */
export interface Raster {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decodes a PNG or a JPEG (whose header was checked already); throws on a corrupt file. */
export function decodeImage(bytes: Buffer, format: ImageFormat, maxPixels: number): Raster {
  if (format === 'png') {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data };
  }
  const decoded = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: Math.ceil(maxPixels / 1_000_000),
    maxMemoryUsageInMB: 512,
  });
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

export function encodeImage(raster: Raster, format: ImageFormat, jpegQuality: number): Buffer {
  if (format === 'jpeg') {
    return jpeg.encode({ width: raster.width, height: raster.height, data: raster.data }, jpegQuality).data;
  }
  const png = new PNG({ width: raster.width, height: raster.height });
  png.data = Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
  return PNG.sync.write(png);
}

/**
 * The image turned upright by its EXIF orientation. Orientations 2 to 4 (mirrors and a half turn) are
 * done in place; 5 to 8 (a quarter turn) need one new buffer, the source being dropped by the caller:
 * at most two rasters are alive at once.
 */
export function orient(read: Raster, orientation: ExifOrientation): Raster {
  if (orientation === 1) return read;
  // A view of 4-byte pixels needs an aligned buffer (a small decoded PNG may sit unaligned in a pool).
  const source = read.data.byteOffset % 4 === 0 ? read : { ...read, data: new Uint8Array(read.data) };
  const { width, height, data } = source;
  const words = new Uint32Array(data.buffer, data.byteOffset, width * height);
  if (orientation === 2 || orientation === 3) {
    for (let y = 0; y < height; y++) words.subarray(y * width, (y + 1) * width).reverse();
  }
  if (orientation === 3 || orientation === 4) {
    const row = new Uint32Array(width);
    for (let top = 0, bottom = height - 1; top < bottom; top++, bottom--) {
      row.set(words.subarray(top * width, (top + 1) * width));
      words.copyWithin(top * width, bottom * width, (bottom + 1) * width);
      words.set(row, bottom * width);
    }
  }
  if (orientation <= 4) return source;
  // A quarter turn: the shown image is `height` wide. For each shown pixel, the stored one it shows.
  const turned = new Uint8Array(width * height * 4);
  const out = new Uint32Array(turned.buffer);
  const shownWidth = height;
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < shownWidth; x++) {
      let sx: number;
      let sy: number;
      if (orientation === 5) [sx, sy] = [y, x];
      else if (orientation === 6) [sx, sy] = [y, height - 1 - x];
      else if (orientation === 7) [sx, sy] = [width - 1 - y, height - 1 - x];
      else [sx, sy] = [width - 1 - y, x];
      out[y * shownWidth + x] = words[sy * width + sx] ?? 0;
    }
  }
  return { width: shownWidth, height: width, data: turned };
}

/**
 * The part `box` of `source` (the whole image when null) scaled to `width`×`height`. Shrinking averages
 * the source pixels each target pixel covers, colours weighted by their opacity (edges of transparent
 * logos stay clean); enlarging interpolates between the four nearest pixels. Only the target is
 * allocated: the crop is read in place.
 */
export function resample(source: Raster, box: CropBox | null, width: number, height: number): Raster {
  const region = box ?? { left: 0, top: 0, right: source.width, bottom: source.height };
  const regionWidth = region.right - region.left;
  const regionHeight = region.bottom - region.top;
  const data = new Uint8Array(width * height * 4);
  const pixel = (x: number, y: number) => ((region.top + y) * source.width + region.left + x) * 4;
  const enlarging = width >= regionWidth && height >= regionHeight;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const target = (y * width + x) * 4;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let weights = 0;
      const add = (sx: number, sy: number, weight: number) => {
        if (weight <= 0) return;
        const offset = pixel(sx, sy);
        const alpha = (source.data[offset + 3] ?? 0) * weight;
        r += (source.data[offset] ?? 0) * alpha;
        g += (source.data[offset + 1] ?? 0) * alpha;
        b += (source.data[offset + 2] ?? 0) * alpha;
        a += alpha;
        weights += weight;
      };
      if (enlarging) {
        const fx = Math.max(0, Math.min(regionWidth - 1, ((x + 0.5) * regionWidth) / width - 0.5));
        const fy = Math.max(0, Math.min(regionHeight - 1, ((y + 0.5) * regionHeight) / height - 0.5));
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        const x1 = Math.min(regionWidth - 1, x0 + 1);
        const y1 = Math.min(regionHeight - 1, y0 + 1);
        const dx = fx - x0;
        const dy = fy - y0;
        add(x0, y0, (1 - dx) * (1 - dy));
        add(x1, y0, dx * (1 - dy));
        add(x0, y1, (1 - dx) * dy);
        add(x1, y1, dx * dy);
      } else {
        const y0 = Math.floor((y * regionHeight) / height);
        const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * regionHeight) / height));
        const x0 = Math.floor((x * regionWidth) / width);
        const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * regionWidth) / width));
        for (let sy = y0; sy < y1; sy++) for (let sx = x0; sx < x1; sx++) add(sx, sy, 1);
      }
      data[target] = a === 0 ? 0 : Math.round(r / a);
      data[target + 1] = a === 0 ? 0 : Math.round(g / a);
      data[target + 2] = a === 0 ? 0 : Math.round(b / a);
      data[target + 3] = weights === 0 ? 0 : Math.round(a / weights);
    }
  }
  return { width, height, data };
}

/**
 * udata's square thumbnail of `side`: with a crop box, the box scaled to the square; without, the whole
 * image scaled to fit and centred on a transparent square.
 */
export function squareThumbnail(source: Raster, side: number, box: CropBox | null): Raster {
  if (box) return resample(source, box, side, side);
  const fitted = fitInSquare(source.width, source.height, side);
  const scaled = resample(source, null, fitted.width, fitted.height);
  if (fitted.width === side && fitted.height === side) return scaled;
  const data = new Uint8Array(side * side * 4);
  const left = Math.floor((side - fitted.width) / 2);
  const top = Math.floor((side - fitted.height) / 2);
  for (let y = 0; y < fitted.height; y++) {
    data.set(
      scaled.data.subarray(y * fitted.width * 4, (y + 1) * fitted.width * 4),
      ((top + y) * side + left) * 4,
    );
  }
  return { width: side, height: side, data };
}
