import { createHash } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface SignedClientOptions {
  endpoint: string;
  region: string;
  /** Lambda's environment credentials by default. */
  credentials?: AwsCredentialIdentityProvider;
}

/**
 * Requests to an OpenSearch Serverless collection, signed with SigV4 for the `aoss` service (the
 * payload's SHA-256 in `x-amz-content-sha256`, which the service requires), sent with fetch.
 */
export class SignedClient {
  private readonly endpoint: URL;
  private readonly signer: SignatureV4;

  constructor(options: SignedClientOptions) {
    this.endpoint = new URL(options.endpoint);
    this.signer = new SignatureV4({
      service: 'aoss',
      region: options.region,
      credentials: options.credentials ?? fromEnv(),
      sha256: Sha256,
    });
  }

  /** The signed request, as sent (exported for the unit tests). */
  async sign(method: string, path: string, body?: string, contentType = 'application/json') {
    const payload = body ?? '';
    const digest = createHash('sha256').update(payload).digest('hex');
    const [pathname, search] = path.split('?') as [string, string | undefined];
    const query = Object.fromEntries(new URLSearchParams(search ?? ''));
    const request = new HttpRequest({
      method,
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      ...(this.endpoint.port ? { port: Number(this.endpoint.port) } : {}),
      path: pathname,
      query,
      headers: {
        host: this.endpoint.host,
        'content-type': contentType,
        'x-amz-content-sha256': digest,
      },
      ...(body === undefined ? {} : { body: payload }),
    });
    return (await this.signer.sign(request)) as HttpRequest;
  }

  async send<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; body: T }> {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const signed = await this.sign(method, path, text, contentType);
    const url = new URL(path, this.endpoint);
    const response = await fetch(url, {
      method,
      headers: signed.headers as Record<string, string>,
      ...(text === undefined ? {} : { body: text }),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await response.text();
    return { status: response.status, body: (answer ? JSON.parse(answer) : {}) as T };
  }
}
