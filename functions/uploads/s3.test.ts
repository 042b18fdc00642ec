import { createHmac } from 'node:crypto';
import { GetObjectCommand, S3Client as SdkS3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { presignDownload, presignPart, presignPost, S3Client } from './s3';

/**
 * s3rver accepts any form, so what a presigned form allows is asserted here, on the signed policy
 * document itself: the key, the size range, the content type and the expiry S3 would enforce.
 */
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
// Real AWS URLs even when the test run has pointed AWS_ENDPOINT_URL_S3 at the local platform.
const client = new S3Client({ region: 'eu-west-3', credentials, endpoint: null });
const key =
  'datasets/6650a1b2c3d4e5f601234567/2f6c1c9e-8c1a-4a53-9f3e-2d7a4c2b9e10/6650a1b2aabbccdd00112233/budget.csv';
const MAX = 100 * 1024 * 1024;

function decodePolicy(fields: Record<string, string>) {
  return JSON.parse(Buffer.from(fields.Policy!, 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };
}

/** SigV4 for POST policies: the policy (base64) signed with the day's derived key. */
function sign(policy: string, date: string, region: string): string {
  const hmac = (secret: string | Buffer, data: string) => createHmac('sha256', secret).update(data).digest();
  const day = hmac(`AWS4${credentials.secretAccessKey}`, date);
  const signing = hmac(hmac(hmac(day, region), 's3'), 'aws4_request');
  return createHmac('sha256', signing).update(policy).digest('hex');
}

describe('presignPost', () => {
  it('binds the form to one key, exactly the declared size, the declared content type and 15 minutes', async () => {
    const before = Date.now();
    const post = await presignPost(client, {
      bucket: 'uploads',
      key,
      contentType: 'text/csv',
      size: 10,
    });
    const policy = decodePolicy(post.fields);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'uploads' },
        { key },
        ['content-length-range', 10, 10],
        ['eq', '$Content-Type', 'text/csv'],
        { 'Content-Type': 'text/csv' },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
      ]),
    );
    // No `starts-with` on the key: the form cannot be pointed at another key under the prefix.
    expect(JSON.stringify(policy.conditions)).not.toContain('starts-with');
    // One size only: not a byte more or less than declared.
    expect(policy.conditions.filter((c) => Array.isArray(c) && c[0] === 'content-length-range')).toEqual([
      ['content-length-range', 10, 10],
    ]);
    const expires = Date.parse(policy.expiration);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 15 * 60 * 1000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 15 * 60 * 1000);
    expect(post.fields).toMatchObject({ key, 'Content-Type': 'text/csv' });
    expect(post.url).toBe('https://uploads.s3.eu-west-3.amazonaws.com/');
  });

  it('signs the policy, so a tampered form (bigger size, another key, later expiry) fails S3’s check', async () => {
    const post = await presignPost(client, {
      bucket: 'uploads',
      key,
      contentType: 'text/csv',
      size: MAX,
    });
    const date = post.fields['X-Amz-Date']!.slice(0, 8);
    expect(post.fields['X-Amz-Credential']).toBe(
      `${credentials.accessKeyId}/${date}/eu-west-3/s3/aws4_request`,
    );
    expect(post.fields['X-Amz-Signature']).toBe(sign(post.fields.Policy!, date, 'eu-west-3'));

    const policy = decodePolicy(post.fields);
    const tampered = [
      {
        ...policy,
        conditions: policy.conditions.map((c) =>
          Array.isArray(c) && c[0] === 'content-length-range' ? [c[0], 1, MAX * 10] : c,
        ),
      },
      {
        ...policy,
        conditions: policy.conditions.map((c) =>
          JSON.stringify(c) === JSON.stringify({ key }) ? { key: 'datasets/other' } : c,
        ),
      },
      { ...policy, expiration: new Date(Date.now() + 86_400_000).toISOString() },
    ];
    for (const altered of tampered) {
      const encoded = Buffer.from(JSON.stringify(altered)).toString('base64');
      expect(encoded).not.toBe(post.fields.Policy);
      expect(sign(encoded, date, 'eu-west-3')).not.toBe(post.fields['X-Amz-Signature']);
    }
  });
});

describe('presignPart', () => {
  it('signs one part of one upload for 15 minutes, without a checksum a browser could not match', async () => {
    const url = new URL(
      await presignPart(client, { bucket: 'uploads', key, uploadId: 'up-1', partNumber: 3 }),
    );
    expect(url.pathname).toBe(`/${key}`);
    expect(url.searchParams.get('partNumber')).toBe('3');
    expect(url.searchParams.get('uploadId')).toBe('up-1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
  });
});

describe('presignDownload', () => {
  it('links to the file for 5 minutes, offered under its original name', async () => {
    const url = new URL(
      await presignDownload(client, {
        bucket: 'uploads',
        key,
        filename: 'Budget 2025 – final.csv',
        mime: 'text/csv',
      }),
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="Budget 2025 _ final.csv"; filename*=UTF-8''Budget%202025%20%E2%80%93%20final.csv`,
    );
    expect(url.searchParams.get('response-content-type')).toBe('text/csv');
  });
});

/**
 * The AWS SDK's own S3 client and presigners (a test dependency only) as the yardstick: at the same
 * instant, with the same credentials, Portail's signer must produce the very URLs and forms they do,
 * signatures included (s3rver checks no signature; S3 does).
 */
describe('signatures, against the AWS SDK’s', () => {
  const sdk = new SdkS3Client({
    region: 'eu-west-3',
    credentials: { ...credentials, sessionToken: 'session-token' },
    // As the functions' SDK client was configured.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ignoreConfiguredEndpointUrls: true,
  });
  const ours = new S3Client({
    region: 'eu-west-3',
    credentials: { ...credentials, sessionToken: 'session-token' },
    endpoint: null,
  });
  const sorted = (url: string) => {
    const parsed = new URL(url);
    return { origin: parsed.origin, path: parsed.pathname, query: [...parsed.searchParams].sort() };
  };
  afterEach(() => vi.useRealTimers());

  it('presigns a part URL and a download link exactly as the SDK does', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-14T15:09:26Z'), toFake: ['Date'] });
    const odd = 'datasets/a b/ü+(1)*.csv';
    expect(
      sorted(await presignPart(ours, { bucket: 'uploads', key: odd, uploadId: 'up~1', partNumber: 3 })),
    ).toEqual(
      sorted(
        await getSignedUrl(
          sdk,
          new UploadPartCommand({ Bucket: 'uploads', Key: odd, UploadId: 'up~1', PartNumber: 3 }),
          { expiresIn: 900 },
        ),
      ),
    );
    const filename = 'Budget 2025 – final.csv';
    expect(
      sorted(await presignDownload(ours, { bucket: 'uploads', key, filename, mime: 'text/csv' })),
    ).toEqual(
      sorted(
        await getSignedUrl(
          sdk,
          new GetObjectCommand({
            Bucket: 'uploads',
            Key: key,
            ResponseContentDisposition: `attachment; filename="Budget 2025 _ final.csv"; filename*=UTF-8''${encodeURIComponent(filename)}`,
            ResponseContentType: 'text/csv',
          }),
          { expiresIn: 300 },
        ),
      ),
    );
  });

  it('signs a POST form exactly as the SDK does', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-14T15:09:26Z'), toFake: ['Date'] });
    const post = await presignPost(ours, { bucket: 'uploads', key, contentType: 'text/csv', size: 10 });
    const expected = await createPresignedPost(sdk, {
      Bucket: 'uploads',
      Key: key,
      Conditions: [
        ['content-length-range', 10, 10],
        ['eq', '$Content-Type', 'text/csv'],
      ],
      Fields: { 'Content-Type': 'text/csv' },
      Expires: 900,
    });
    expect(post).toEqual(expected);
  });
});
