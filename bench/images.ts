/**
 * Image uploads (`npm run bench:images`): what processing one image costs, against decoding the same
 * file alone, in the same run. A generated photo of BENCH_IMAGE_WIDTH×BENCH_IMAGE_HEIGHT (5,000×4,000:
 * the 20 megapixels an image may have) with an EXIF orientation of a quarter turn (the case that needs a
 * second raster) and a `bbox`, processed as the images function does (decode, turn upright, re-encode,
 * every thumbnail of an avatar). Each measure runs in a fresh process, so its peak resident memory is
 * its own: reported as the peak above the process's resident memory before the work, and as a ratio
 * to the bare decode's. Nothing here asserts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, ratio } from './table';

interface Sample {
  seconds: number;
  peakMiB: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const mode = process.argv[2];

/** In the child: one measure of `mode` on the file, printed as JSON. */
async function measure(which: string, file: string): Promise<void> {
  const bytes = readFileSync(file);
  const { IMAGE_RULES, imageDimensions } = await import('@portail/core');
  const { decodeImage } = await import('../functions/images/raster');
  const { processImage } = await import('../functions/images/process-image');
  const size = imageDimensions(bytes, 'jpeg');
  if (!size) throw new Error('the generated JPEG has no size');
  const before = process.memoryUsage().rss;
  const started = performance.now();
  if (which === 'decode') decodeImage(bytes, 'jpeg', IMAGE_RULES.maxPixels);
  else processImage(bytes, 'jpeg', size, 'avatar', `0,0,${size.height},${size.height}`);
  const seconds = (performance.now() - started) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ seconds, peakMiB: (peak - before) / (1024 * 1024) }));
}

/** A JPEG photo-like gradient with noise, with an EXIF block saying "turn a quarter clockwise". */
async function photo(width: number, height: number): Promise<Buffer> {
  const { default: jpeg } = await import('jpeg-js');
  const data = Buffer.alloc(width * height * 4);
  let seed = 1;
  for (let i = 0; i < width * height; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const x = i % width;
    const y = Math.floor(i / width);
    data[i * 4] = (x * 255) / width;
    data[i * 4 + 1] = (y * 255) / height;
    data[i * 4 + 2] = seed & 0xff;
    data[i * 4 + 3] = 255;
  }
  const encoded = jpeg.encode({ width, height, data }, 85).data;
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(6, 18);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([encoded.subarray(0, 2), head, body, encoded.subarray(2)]);
}

function run(which: string, file: string): Sample {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'images.ts'), which, file],
    { encoding: 'utf8', maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Sample;
}

async function main() {
  const width = Number(process.env.BENCH_IMAGE_WIDTH ?? 5000);
  const height = Number(process.env.BENCH_IMAGE_HEIGHT ?? 4000);
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-images-'));
  try {
    const file = path.join(directory, 'photo.jpg');
    writeFileSync(file, await photo(width, height));
    const rasterMiB = (width * height * 4) / (1024 * 1024);
    const decode = run('decode', file);
    const processed = run('process', file);
    console.log(
      `\nImage upload: a ${width}×${height} JPEG (${(readFileSync(file).length / (1024 * 1024)).toFixed(1)} MiB, one RGBA raster = ${rasterMiB.toFixed(0)} MiB), orientation 6, bbox, an avatar's 5 thumbnails\n`,
    );
    console.log(
      formatTable(
        ['step', 'seconds', 'peak MiB above start'],
        [
          ['decode alone (baseline)', decode.seconds.toFixed(2), decode.peakMiB.toFixed(0)],
          ['decode, turn, re-encode, thumbnails', processed.seconds.toFixed(2), processed.peakMiB.toFixed(0)],
          [
            'ratio (process / decode)',
            ratio(processed.seconds / decode.seconds),
            ratio(processed.peakMiB / decode.peakMiB),
          ],
        ],
      ),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (mode === 'decode' || mode === 'process') await measure(mode, process.argv[3] ?? '');
else await main();
