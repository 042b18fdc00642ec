import type { ExifOrientation } from '@portail/core';
import { describe, expect, it } from 'vitest';
import { orient, type Raster, squareThumbnail } from './raster';

/** A raster whose pixel at (x, y) has red = x, green = y: where each pixel went is readable. */
function grid(width: number, height: number): Raster {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x, y, 0, 255], (y * width + x) * 4);
  }
  return { width, height, data };
}

const at = (raster: Raster, x: number, y: number) => {
  const offset = (y * raster.width + x) * 4;
  return [raster.data[offset], raster.data[offset + 1]];
};

describe('orient', () => {
  // The stored 3×2 image's top-left corner (0, 0), and where the image as shown has it.
  const shownTopLeft: Record<ExifOrientation, [number, number]> = {
    1: [0, 0],
    2: [2, 0],
    3: [2, 1],
    4: [0, 1],
    5: [0, 0],
    6: [0, 1],
    7: [2, 1],
    8: [2, 0],
  };

  it('turns each of the eight EXIF orientations upright', () => {
    for (const [orientation, stored] of Object.entries(shownTopLeft)) {
      const shown = orient(grid(3, 2), Number(orientation) as ExifOrientation);
      const quarter = Number(orientation) >= 5;
      expect([shown.width, shown.height], orientation).toEqual(quarter ? [2, 3] : [3, 2]);
      expect(at(shown, 0, 0), orientation).toEqual(stored);
    }
  });

  it('turns a camera held upright (6) a quarter clockwise', () => {
    const shown = orient(grid(3, 2), 6);
    // The stored left column, bottom to top, is the shown top row.
    expect([at(shown, 0, 0), at(shown, 1, 0)]).toEqual([
      [0, 1],
      [0, 0],
    ]);
    expect(at(shown, 1, 2)).toEqual([2, 0]);
  });
});

describe('squareThumbnail', () => {
  it('centres the whole image on a transparent square', () => {
    const thumbnail = squareThumbnail(grid(40, 20), 10, null);
    expect([thumbnail.width, thumbnail.height]).toEqual([10, 10]);
    expect(thumbnail.data[3]).toBe(0);
    expect(thumbnail.data[(5 * 10 + 5) * 4 + 3]).toBe(255);
    expect(thumbnail.data[(9 * 10 + 5) * 4 + 3]).toBe(0);
  });

  it('scales a crop box to the whole square', () => {
    const thumbnail = squareThumbnail(grid(40, 20), 4, { left: 20, top: 0, right: 40, bottom: 20 });
    expect([thumbnail.width, thumbnail.height]).toEqual([4, 4]);
    for (let index = 0; index < 16; index++) expect(thumbnail.data[index * 4 + 3]).toBe(255);
    // Only the box's pixels: every red (x) at least 20.
    for (let index = 0; index < 16; index++) expect(thumbnail.data[index * 4]).toBeGreaterThanOrEqual(20);
  });

  it('enlarges a small image to the square, as udata does', () => {
    const thumbnail = squareThumbnail(grid(2, 2), 8, null);
    expect([thumbnail.width, thumbnail.height]).toEqual([8, 8]);
    expect(thumbnail.data[3]).toBe(255);
  });
});
