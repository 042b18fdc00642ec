import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Platform } from '@portail/local/platform';
import { benchPublisher } from './bench-user';

const MiB = 1024 * 1024;
/** Parts in flight at once, for both clients. */
const CONCURRENCY = 4;

export interface UploadBenchResult {
  bytes: number;
  partSize: number;
  concurrency: number;
  sdkSeconds: number;
  presignedSeconds: number;
  /** Presigned upload plus finalize, until the resource is visible. */
  visibleSeconds: number;
  ratio: number;
  checksum: { finalizeMiBps: number; localMiBps: number; ratio: number };
}

/** `bytes` bytes of CSV-looking text, written in 8 MiB blocks. */
async function writeFile(file: string, bytes: number) {
  const line = 'commune,code_insee,population,superficie_km2\n';
  const block = Buffer.alloc(8 * MiB);
  for (let offset = 0; offset < block.length; offset += line.length) block.write(line, offset, 'latin1');
  const handle = await open(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      await handle.write(block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    await handle.close();
  }
}

async function readSlice(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function hashStream(stream: AsyncIterable<Uint8Array>): Promise<number> {
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    sha1.update(chunk);
    sha256.update(chunk);
    size += chunk.length;
  }
  sha1.digest();
  sha256.digest();
  return size;
}

const seconds = (started: number) => (performance.now() - started) / 1000;

/**
 * The same file sent to the same s3rver twice: through Portail's presigned multipart flow (declare,
 * part URLs, PUT each part, complete) and with the SDK's managed upload, same part size and concurrency.
 * Then finalize's single pass (SHA-1 + SHA-256 while reading the object from S3) against hashing the
 * same bytes from the local file.
 */
export async function measureUploads(
  platform: Platform,
  options: { bytes: number; log: (line: string) => void },
): Promise<UploadBenchResult> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'portail-bench-upload-'));
  const file = path.join(directory, 'communes.csv');
  const s3 = new S3Client({
    endpoint: platform.s3Endpoint,
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const sdkKey = `bench/sdk-${Date.now()}.csv`;
  try {
    options.log(`writing ${(options.bytes / MiB).toFixed(0)} MiB to ${file}…`);
    await writeFile(file, options.bytes);
    const headers = await benchPublisher(platform);
    const api = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(url.startsWith('http') ? url : `${platform.apiUrl}${url}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const dataset = await api('POST', '/api/1/datasets/', {
      title: `Upload bench ${Date.now()}`,
      description: 'A dataset npm run bench uploads a large file to.',
    });

    options.log('SDK upload (lib-storage, straight to s3rver)…');
    const sdkStarted = performance.now();
    await new Upload({
      client: s3,
      params: {
        Bucket: platform.bucketName,
        Key: sdkKey,
        Body: createReadStream(file),
        ContentType: 'text/csv',
      },
      partSize: 8 * MiB,
      queueSize: CONCURRENCY,
    }).done();
    const sdkSeconds = seconds(sdkStarted);

    options.log('presigned multipart upload through the API…');
    const started = performance.now();
    const { resource, upload } = await api('POST', `/api/1/datasets/${dataset.id}/upload/multipart/`, {
      filename: 'communes.csv',
      size: options.bytes,
      mime: 'text/csv',
    });
    const numbers = Array.from({ length: upload.part_count as number }, (_, index) => index + 1);
    const urls = new Map<number, string>();
    for (let first = 0; first < numbers.length; first += 1000) {
      const answer = await api('POST', upload.links.parts, {
        part_numbers: numbers.slice(first, first + 1000),
      });
      for (const part of answer.parts as { part_number: number; url: string }[])
        urls.set(part.part_number, part.url);
    }
    await pool(numbers, CONCURRENCY, async (number) => {
      const start = (number - 1) * upload.part_size;
      const body = await readSlice(file, start, Math.min(upload.part_size, options.bytes - start));
      const response = await fetch(urls.get(number)!, { method: 'PUT', body });
      if (response.status !== 200)
        throw new Error(`part ${number}: ${response.status} ${await response.text()}`);
    });
    await api('POST', upload.links.complete);
    const presignedSeconds = seconds(started);
    for (;;) {
      const current = await api('GET', `/api/1/datasets/${dataset.id}/resources/${resource.id}/`);
      if (current.upload.status !== 'pending') {
        if (current.status !== 'available')
          throw new Error(`finalize refused the file: ${current.upload.reason}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const visibleSeconds = seconds(started);

    options.log("checksums: finalize's single pass over the object vs hashing the local file…");
    const { measure } = await import('../functions/finalize/measure');
    const object = await api('GET', `/api/1/datasets/${dataset.id}/resources/${resource.id}/`);
    const key = `datasets/${dataset.id}/${resource.id}/${upload.id}/communes.csv`;
    const finalizeStarted = performance.now();
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: platform.bucketName, Key: key }));
    const measured = await measure(Body as AsyncIterable<Uint8Array>, Number.MAX_SAFE_INTEGER);
    const finalizeSeconds = seconds(finalizeStarted);
    if (measured.sha1 !== object.checksum.value) throw new Error('finalize and the bench disagree on SHA-1');
    const localStarted = performance.now();
    const hashed = await hashStream(createReadStream(file, { highWaterMark: 1 * MiB }));
    const localSeconds = seconds(localStarted);
    if (hashed !== options.bytes) throw new Error(`read ${hashed} bytes of ${options.bytes}`);

    await api('DELETE', `/api/1/datasets/${dataset.id}/resources/${resource.id}/`);
    const mib = options.bytes / MiB;
    return {
      bytes: options.bytes,
      partSize: upload.part_size,
      concurrency: CONCURRENCY,
      sdkSeconds,
      presignedSeconds,
      visibleSeconds,
      ratio: presignedSeconds / sdkSeconds,
      checksum: {
        finalizeMiBps: mib / finalizeSeconds,
        localMiBps: mib / localSeconds,
        ratio: localSeconds / finalizeSeconds,
      },
    };
  } finally {
    await s3
      .send(new DeleteObjectCommand({ Bucket: platform.bucketName, Key: sdkKey }))
      .catch(() => undefined);
    s3.destroy();
    await rm(directory, { recursive: true, force: true });
  }
}
