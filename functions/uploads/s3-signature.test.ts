import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client as SdkS3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from './s3-client';

/**
 * s3rver takes any signature, so the signatures of ordinary requests (not presigned) are checked here
 * the way S3 checks them: a server receives the request, rebuilds its canonical form from what came over
 * the wire (the path as sent, the query sorted and encoded, the headers named in `SignedHeaders`, the
 * payload hash) and compares the signature. The same check is run on the AWS SDK's requests first, so a
 * mistake in the check itself cannot pass for a valid signature.
 */
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};
const region = 'eu-west-3';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (secret: string | Buffer, data: string) => createHmac('sha256', secret).update(data).digest();
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Whether the request's SigV4 signature is the one its content and the secret key give (S3's check). */
function signatureHolds(request: Received): { holds: boolean; why?: string } {
  const authorization = String(request.headers.authorization ?? '');
  const match = authorization.match(
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/,
  );
  if (!match) return { holds: false, why: `unexpected Authorization: ${authorization}` };
  const [, accessKey, day, signedRegion, signedHeaders, signature] = match;
  if (accessKey !== credentials.accessKeyId || signedRegion !== region) return { holds: false, why: 'scope' };
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(request.body)) {
    return { holds: false, why: 'the body is not the one signed' };
  }
  const names = signedHeaders!.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!names.includes(required)) return { holds: false, why: `${required} not signed` };
  }
  const [path, query = ''] = request.url.split(/\?(.*)/s);
  const canonicalQuery = query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [name, value = ''] = pair.split(/=(.*)/s);
      const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
      return `${rfc3986(decode(name!))}=${rfc3986(decode(value))}`;
    })
    .sort()
    .join('&');
  const canonicalHeaders = names
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonical = [request.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join(
    '\n',
  );
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day!), region), 's3'),
    'aws4_request',
  );
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  return expected === signature ? { holds: true } : { holds: false, why: `canonical request:\n${canonical}` };
}

let server: http.Server;
let endpoint: string;
const received: Received[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.setHeader('content-type', 'application/xml');
      if (request.url!.includes('uploads')) {
        response.end(
          '<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>uploads</Bucket><Key>k</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>',
        );
      } else if (request.headers['x-amz-copy-source']) {
        response.end(
          '<?xml version="1.0"?><CopyObjectResult><ETag>"e"</ETag><LastModified>2026-03-14T15:09:26.000Z</LastModified></CopyObjectResult>',
        );
      } else {
        response.setHeader('etag', '"e"');
        response.statusCode = request.method === 'DELETE' ? 204 : 200;
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Keys a producer's file names give: spaces, accents, and the characters S3 encodes specially. */
const keys = ['files/a b/ü+(1)*.csv', "files/d/r/u/1/l'été=100%~_.-!.csv", 'files/plain/budget.csv'];

async function requestsOf(send: () => Promise<unknown>): Promise<Received[]> {
  const from = received.length;
  await send();
  return received.slice(from);
}

/** The AWS SDK's S3 client on the test server, configured as the functions' SDK client was. */
const sdkClient = () =>
  new SdkS3Client({
    region,
    credentials,
    endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

describe('ordinary request signatures, checked as S3 checks them', () => {
  it('holds for the SDK’s requests (the check itself is right)', async () => {
    const client = sdkClient();
    for (const key of keys) {
      const requests = await requestsOf(async () => {
        await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'a,b\n1,2\n' }));
        await client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: key }));
        await client.send(new CreateMultipartUploadCommand({ Bucket: 'uploads', Key: key }));
        await client.send(
          new UploadPartCommand({ Bucket: 'uploads', Key: key, UploadId: 'up~1', PartNumber: 2, Body: 'x' }),
        );
        await client.send(
          new CopyObjectCommand({
            Bucket: 'uploads',
            Key: `${key}.copy`,
            CopySource: `uploads/${encodeURIComponent(key)}`,
          }),
        );
        await client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: key }));
      });
      expect(requests).toHaveLength(6);
      for (const request of requests) expect(signatureHolds(request), request.url).toEqual({ holds: true });
    }
  });

  it('holds for Portail’s requests, which go to the same paths as the SDK’s', async () => {
    const ours = new S3Client({ region, credentials, endpoint });
    const client = sdkClient();
    for (const key of keys) {
      const requests = await requestsOf(async () => {
        await ours.send({ method: 'PUT', bucket: 'uploads', key, body: 'a,b\n1,2\n' });
        await ours.send({ method: 'HEAD', bucket: 'uploads', key });
        await ours.send({ method: 'POST', bucket: 'uploads', key, query: { uploads: '' } });
        await ours.send({
          method: 'PUT',
          bucket: 'uploads',
          key,
          query: { partNumber: '2', uploadId: 'up~1' },
          body: 'x',
        });
        await ours.send(
          {
            method: 'PUT',
            bucket: 'uploads',
            key: `${key}.copy`,
            headers: { 'x-amz-copy-source': `uploads/${encodeURIComponent(key)}` },
          },
          { errorInBody: true },
        );
        await ours.send({ method: 'DELETE', bucket: 'uploads', key });
      });
      expect(requests).toHaveLength(6);
      for (const request of requests) expect(signatureHolds(request), request.url).toEqual({ holds: true });
      const theirs = await requestsOf(() =>
        client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'x' })),
      );
      // The same encoded path (the SDK adds an `x-id` query naming its command).
      expect(requests[0]!.url).toBe(theirs[0]!.url.split('?')[0]);
    }
  });

  it('fails for a request changed after signing (the check can fail)', async () => {
    const ours = new S3Client({ region, credentials, endpoint });
    const [request] = await requestsOf(() =>
      ours.send({ method: 'PUT', bucket: 'uploads', key: keys[0]!, body: 'a,b\n1,2\n' }),
    );
    expect(signatureHolds(request!).holds).toBe(true);
    expect(signatureHolds({ ...request!, url: request!.url.replace('.csv', '.txt') }).holds).toBe(false);
    expect(signatureHolds({ ...request!, body: Buffer.from('a,b\n1,3\n') }).holds).toBe(false);
  });
});
