import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface S3ClientOptions {
  region?: string;
  /** Lambda's environment credentials by default. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * Another endpoint than AWS's (the local platform's s3rver), addressed path-style. By default
   * `AWS_ENDPOINT_URL_S3`, as the SDK reads it; `null` addresses AWS whatever the environment says.
   */
  endpoint?: string | null;
}

/** What S3 answered when it refused: its error `Code` (`NoSuchKey`, `NoSuchUpload`, `PreconditionFailed`…). */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(`S3 ${status} ${code}: ${message}`);
    this.name = code;
  }
}

export interface S3Response {
  status: number;
  headers: Record<string, string | undefined>;
  /** The whole body (empty when the answer was asked as a stream). */
  bytes: Buffer;
  text: string;
  /** The body unread, a Node stream: only when asked with `stream`. */
  stream?: IncomingMessage;
}

export interface S3Request {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  bucket: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** An S3 key in a URL path: every segment percent-encoded as S3 signs it (RFC 3986 unreserved kept). */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of an XML element's content, entities decoded. */
export function xmlText(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

/** The content of every `<name>` element of an XML answer (S3's answers have no attributes on them). */
export function xmlElements(xml: string, name: string): string[] {
  const pattern = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => match[1] ?? '');
}

/** The decoded text of the first `<name>` element, or undefined. */
export function xmlValue(xml: string, name: string): string | undefined {
  const [first] = xmlElements(xml, name);
  return first === undefined ? undefined : xmlText(first);
}

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** As the SDK's standard retry mode. */
const MAX_ATTEMPTS = 3;

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The few S3 operations Portail makes (uploads, multipart, copy, head, get, delete, presigned URLs and
 * POST forms), as SigV4-signed HTTP requests sent with the same Node HTTP handler the DynamoDB client
 * uses: what the uploads, images and finalize functions need of S3 without the whole SDK client (its
 * XML serializers, checksum and endpoint-rule machinery weigh more than the rest of such a function).
 */
export class S3Client {
  private readonly endpoint: string | null;
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly handler = new NodeHttpHandler();
  readonly region: string;

  constructor(options: S3ClientOptions = {}) {
    this.region = options.region ?? process.env.AWS_REGION ?? 'eu-west-3';
    this.endpoint =
      (options.endpoint === undefined
        ? (process.env.AWS_ENDPOINT_URL_S3 ?? null)
        : options.endpoint
      )?.replace(/\/+$/, '') ?? null;
    const credentials = options.credentials ?? fromEnv();
    this.credentials = typeof credentials === 'function' ? credentials : async () => credentials;
  }

  private signer(): SignatureV4 {
    return new SignatureV4({
      service: 's3',
      region: this.region,
      credentials: this.credentials,
      sha256: Sha256,
      // S3 signs the path as sent, each segment encoded once.
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  /** The URL of a bucket (and a key in it): virtual-hosted on AWS, path-style on another endpoint. */
  private location(bucket: string, key?: string) {
    const tail = key === undefined ? '' : encodeKey(key);
    if (this.endpoint) {
      const url = new URL(this.endpoint);
      const base = url.pathname.replace(/\/+$/, '');
      return { url, path: `${base}/${bucket}${key === undefined ? '' : `/${tail}`}` };
    }
    const url = new URL(`https://${bucket}.s3.${this.region}.amazonaws.com`);
    return { url, path: `/${tail}` };
  }

  private httpRequest(request: S3Request, headers: Record<string, string>): HttpRequest {
    const { url, path } = this.location(request.bucket, request.key);
    return new HttpRequest({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path,
      query: request.query ?? {},
      headers: { host: url.host, ...headers },
      ...(request.body === undefined ? {} : { body: request.body }),
    });
  }

  /**
   * Sends one signed request; an error answer (status ≥ 300, or with `errorInBody` S3's 200 holding an
   * `<Error>`) throws S3Error. The body is read whole, unless `stream` asks for it unread. As the SDK's
   * standard retry mode does, a 5xx answer or a dropped connection is tried again, 3 attempts in all,
   * after a jittered exponential pause.
   */
  async send(
    request: S3Request,
    options: { errorInBody?: boolean; stream?: boolean } = {},
  ): Promise<S3Response> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sendOnce(request, options);
      } catch (error) {
        const transient =
          error instanceof S3Error
            ? error.status >= 500
            : /ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|socket hang up/i.test(String(error));
        if (!transient || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt));
      }
    }
  }

  private async sendOnce(
    request: S3Request,
    options: { errorInBody?: boolean; stream?: boolean },
  ): Promise<S3Response> {
    const body = request.body ?? '';
    const unsigned = this.httpRequest(request, {
      ...request.headers,
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
    });
    const signed = (await this.signer().sign(unsigned)) as HttpRequest;
    const { response } = await this.handler.handle(signed);
    const message = response.body as IncomingMessage;
    const headers = response.headers as Record<string, string | undefined>;
    if (options.stream && response.statusCode < 300) {
      return { status: response.statusCode, headers, bytes: Buffer.alloc(0), text: '', stream: message };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of message ?? []) chunks.push(Buffer.from(chunk as Uint8Array));
    const bytes = Buffer.concat(chunks);
    const text = bytes.toString('utf8');
    // CopyObject, UploadPartCopy and CompleteMultipartUpload may fail after answering 200.
    if (response.statusCode >= 300 || (options.errorInBody && /<Error>/.test(text))) {
      throw errorOf(response.statusCode, text);
    }
    return { status: response.statusCode, headers, bytes, text };
  }

  /** A URL that lets its bearer make this one request until it expires (S3's presigned URLs). */
  async presign(request: S3Request, expiresIn: number): Promise<string> {
    const unsigned = this.httpRequest(request, {
      ...request.headers,
      // A presigned request's body is not known when signing.
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    });
    const signed = await this.signer().presign(unsigned, {
      expiresIn,
      unsignableHeaders: new Set(['content-type']),
    });
    const url = new URL(`${signed.protocol}//${signed.hostname}${signed.port ? `:${signed.port}` : ''}`);
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(signed.query ?? {})) {
      for (const one of Array.isArray(value) ? value : [value]) if (one !== null) search.append(name, one);
    }
    const query = search.toString().replace(/\+/g, '%20');
    return `${url.origin}${signed.path}${query ? `?${query}` : ''}`;
  }

  /**
   * A browser form (S3's POST policy, SigV4) that may create `key` in `bucket` under `conditions`, with
   * `fields` sent as given, until `expiresIn` seconds from now.
   */
  async presignPost(options: {
    bucket: string;
    key: string;
    conditions: unknown[];
    fields: Record<string, string>;
    expiresIn: number;
  }): Promise<{ url: string; fields: Record<string, string> }> {
    const now = new Date();
    const amzDate = isoSeconds(now).replace(/[-:]/g, '');
    const day = amzDate.slice(0, 8);
    const credentials = await this.credentials();
    const scope = `${day}/${this.region}/s3/aws4_request`;
    const fields: Record<string, string> = {
      ...options.fields,
      bucket: options.bucket,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
      'X-Amz-Date': amzDate,
      ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
    };
    const conditions = new Set(options.conditions.map((condition) => JSON.stringify(condition)));
    for (const [name, value] of Object.entries(fields)) conditions.add(JSON.stringify({ [name]: value }));
    conditions.add(JSON.stringify({ key: options.key }));
    const policy = Buffer.from(
      JSON.stringify({
        expiration: isoSeconds(new Date(now.valueOf() + options.expiresIn * 1000)),
        conditions: [...conditions].map((condition) => JSON.parse(condition)),
      }),
      'utf8',
    ).toString('base64');
    const hmac = (secret: string | Buffer, data: string) =>
      createHmac('sha256', secret).update(data).digest();
    const signingKey = hmac(
      hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), this.region), 's3'),
      'aws4_request',
    );
    const { url, path } = this.location(options.bucket);
    return {
      url: `${url.origin}${path}`,
      fields: {
        ...fields,
        key: options.key,
        Policy: policy,
        'X-Amz-Signature': createHmac('sha256', signingKey).update(policy).digest('hex'),
      },
    };
  }
}

function errorOf(status: number, text: string): S3Error {
  const code =
    xmlValue(text, 'Code') ??
    // HEAD answers carry no body: S3's SDK names them by status as well.
    (status === 404
      ? 'NotFound'
      : status === 412
        ? 'PreconditionFailed'
        : status === 403
          ? 'Forbidden'
          : `Http${status}`);
  return new S3Error(code, status, xmlValue(text, 'Message') ?? text.slice(0, 200));
}

/** True for S3's answer that the object (or the version asked for) is not there. */
export const isMissing = (error: unknown) =>
  error instanceof S3Error && (error.code === 'NoSuchKey' || error.code === 'NotFound');
