import { describe, expect, it } from 'vitest';
import { exifOrientation, fitInSquare, imageDimensions, parseCropBox, sniffImage } from './image';

function pngHeader(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

function jpegHeader(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]);
  const sof = Buffer.alloc(11);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(9, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]);
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** A TIFF structure with one IFD0 entry: the orientation. */
function tiff(order: 'II' | 'MM', orientation: number): Buffer {
  const bytes = Buffer.alloc(26);
  const little = order === 'II';
  const u16 = (value: number, at: number) =>
    little ? bytes.writeUInt16LE(value, at) : bytes.writeUInt16BE(value, at);
  const u32 = (value: number, at: number) =>
    little ? bytes.writeUInt32LE(value, at) : bytes.writeUInt32BE(value, at);
  bytes.write(order, 0, 'latin1');
  u16(42, 2);
  u32(8, 4);
  u16(1, 8);
  u16(0x0112, 10);
  u16(3, 12);
  u32(1, 14);
  u16(orientation, 18);
  return bytes;
}

describe('images', () => {
  it('knows PNG and JPEG by their bytes only', () => {
    expect(sniffImage(pngHeader(1, 1))).toBe('png');
    expect(sniffImage(jpegHeader(1, 1))).toBe('jpeg');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImage(Buffer.from('GIF89a......................'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  it('reads the declared dimensions before decoding', () => {
    expect(imageDimensions(pngHeader(640, 480), 'png')).toEqual({ width: 640, height: 480 });
    expect(imageDimensions(jpegHeader(4000, 3000), 'jpeg')).toEqual({ width: 4000, height: 3000 });
    expect(imageDimensions(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'jpeg')).toBeNull();
    expect(imageDimensions(Buffer.from([0xff, 0xd8, 0x00]), 'jpeg')).toBeNull();
  });

  it('fits thumbnails in their square, enlarging small images as udata does', () => {
    expect(fitInSquare(400, 200, 100)).toEqual({ width: 100, height: 50 });
    expect(fitInSquare(30, 3000, 100)).toEqual({ width: 1, height: 100 });
    expect(fitInSquare(40, 20, 100)).toEqual({ width: 100, height: 50 });
  });

  it('reads the EXIF orientation of a JPEG and of a PNG, in either byte order', () => {
    for (const order of ['II', 'MM'] as const) {
      for (const orientation of [1, 3, 6, 8] as const) {
        const exif = tiff(order, orientation);
        const jpegBytes = Buffer.concat([
          Buffer.from([0xff, 0xd8]),
          segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif])),
          jpegHeader(10, 20).subarray(2),
        ]);
        expect(exifOrientation(jpegBytes, 'jpeg')).toBe(orientation);
        const chunk = Buffer.alloc(12 + exif.length);
        chunk.writeUInt32BE(exif.length, 0);
        chunk.write('eXIf', 4, 'latin1');
        exif.copy(chunk, 8);
        expect(exifOrientation(Buffer.concat([pngHeader(10, 20), chunk]), 'png')).toBe(orientation);
      }
    }
    expect(exifOrientation(jpegHeader(10, 20), 'jpeg')).toBe(1);
    expect(exifOrientation(pngHeader(10, 20), 'png')).toBe(1);
    // A damaged block: upright, never an error.
    const damaged = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xe1, Buffer.from('Exif\0\0MM\0\x2a\xff\xff\xff\xff', 'latin1')),
    ]);
    expect(exifOrientation(damaged, 'jpeg')).toBe(1);
  });

  it("takes udata's bbox within the image, and refuses any other with a field error", () => {
    const size = { width: 200, height: 100 };
    expect(parseCropBox(undefined, size)).toBeNull();
    expect(parseCropBox('10,20,110,100', size)).toEqual({ left: 10, top: 20, right: 110, bottom: 100 });
    expect(parseCropBox('10.7, 20.2, 110.9, 99.99', size)).toEqual({
      left: 10,
      top: 20,
      right: 110,
      bottom: 99,
    });
    for (const bad of ['1,2,3', 'a,b,c,d', '0,0,201,100', '50,0,50,10', '-1,0,10,10', '0,0,10,1e3']) {
      expect(() => parseCropBox(bad, size), bad).toThrow(/bbox/);
    }
  });
});
