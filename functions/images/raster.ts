import { type ImageFormat, thumbnailSize } from '@portail/core';
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
 * The image shrunk to fit in a `side` square (never enlarged): each target pixel is the average of the
 * source pixels it covers, colours weighted by their opacity, so edges of transparent logos stay clean.
 */
export function fitWithin(source: Raster, side: number): Raster {
  const { width, height } = thumbnailSize(source.width, source.height, side);
  if (width === source.width && height === source.height) return source;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * source.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * source.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * source.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * source.width) / width));
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = y0; sy < y1; sy++) {
        let offset = (sy * source.width + x0) * 4;
        for (let sx = x0; sx < x1; sx++, offset += 4) {
          const alpha = source.data[offset + 3] ?? 0;
          r += (source.data[offset] ?? 0) * alpha;
          g += (source.data[offset + 1] ?? 0) * alpha;
          b += (source.data[offset + 2] ?? 0) * alpha;
          a += alpha;
        }
      }
      const count = (x1 - x0) * (y1 - y0);
      const target = (y * width + x) * 4;
      data[target] = a === 0 ? 0 : Math.round(r / a);
      data[target + 1] = a === 0 ? 0 : Math.round(g / a);
      data[target + 2] = a === 0 ? 0 : Math.round(b / a);
      data[target + 3] = Math.round(a / count);
    }
  }
  return { width, height, data };
}
