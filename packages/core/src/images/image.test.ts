import { describe, expect, it } from 'vitest';
import { imageDimensions, sniffImage, thumbnailSize } from './image';

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

  it('fits thumbnails in their square, never enlarging', () => {
    expect(thumbnailSize(400, 200, 100)).toEqual({ width: 100, height: 50 });
    expect(thumbnailSize(30, 3000, 100)).toEqual({ width: 1, height: 100 });
    expect(thumbnailSize(40, 20, 100)).toEqual({ width: 40, height: 20 });
  });
});
