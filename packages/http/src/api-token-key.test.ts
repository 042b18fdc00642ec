import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const ARN = 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:ApiTokenSecret-AbCdEf';
const KEY = 'k'.repeat(64);

/** Secrets Manager's GetSecretValue (JSON 1.1 over HTTP), answering `secretString` for the one ARN. */
let secretString: string | undefined = KEY;
const requests: { target: string | undefined; body: { SecretId?: string }; signed: boolean }[] = [];
/** Each request as received, to check its signature. */
const received: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const text = await body(request);
    received.push({ path: request.url ?? '/', headers: request.headers, body: text });
    const parsed = JSON.parse(text) as { SecretId?: string };
    requests.push({
      target: request.headers['x-amz-target'] as string | undefined,
      body: parsed,
      signed: String(request.headers.authorization).startsWith('AWS4-HMAC-SHA256'),
    });
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    if (parsed.SecretId !== ARN) {
      response.statusCode = 400;
      response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no such secret' }));
      return;
    }
    response.end(JSON.stringify({ ARN, Name: 'ApiTokenSecret', SecretString: secretString }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const saved = { ...process.env };
beforeEach(() => {
  vi.resetModules();
  requests.length = 0;
  received.length = 0;
  secretString = KEY;
  for (const name of ['API_TOKEN_SECRET', 'API_TOKEN_SECRET_ARN']) delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-3',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
});
afterEach(() => {
  process.env = { ...saved };
});

const freshModule = () => import('./api-token-key');

/** Recomputes a received request's SigV4 signature over the headers it says it signed. */
async function signatureHolds(request: (typeof received)[number]): Promise<boolean> {
  const authorization = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  const port = (server.address() as AddressInfo).port;
  const again = await new SignatureV4({
    service: 'secretsmanager',
    region: 'eu-west-3',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    sha256: Sha256,
  }).sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: request.path,
      // The payload's hash is recomputed from the body received, not taken from the request's header.
      headers: Object.fromEntries(
        signedHeaders
          .filter((name) => name !== 'x-amz-content-sha256')
          .map((name) => [name, String(request.headers[name])]),
      ),
      body: request.body,
    }),
    { signingDate },
  );
  return (again as HttpRequest).headers.authorization === authorization;
}

describe('the API token key', () => {
  it('is read once from the Secrets Manager secret the function is given the ARN of', async () => {
    process.env.API_TOKEN_SECRET_ARN = ARN;
    const { loadApiTokenSecret, apiTokenSecret } = await freshModule();
    expect(() => apiTokenSecret()).toThrow(/loadApiTokenSecret/);
    await expect(loadApiTokenSecret()).resolves.toBe(KEY);
    expect(apiTokenSecret()).toBe(KEY);
    await loadApiTokenSecret();
    expect(requests).toEqual([
      { target: 'secretsmanager.GetSecretValue', body: { SecretId: ARN }, signed: true },
    ]);
  });

  it('signs its call as the Secrets Manager client signs the same call (SigV4, checked again here)', async () => {
    process.env.API_TOKEN_SECRET_ARN = ARN;
    const client = new SecretsManagerClient({});
    await client.send(new GetSecretValueCommand({ SecretId: ARN }));
    client.destroy();
    await (await freshModule()).loadApiTokenSecret();
    expect(received).toHaveLength(2);
    const [fromClient, ours] = received;
    for (const request of [fromClient!, ours!]) {
      expect(await signatureHolds(request)).toBe(true);
      expect(request.headers.authorization).toMatch(
        /Credential=test\/\d{8}\/eu-west-3\/secretsmanager\/aws4_request/,
      );
      expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(request.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
      expect(JSON.parse(request.body)).toEqual({ SecretId: ARN });
    }
    // The check itself refuses a request altered after signing.
    expect(await signatureHolds({ ...ours!, body: JSON.stringify({ SecretId: `${ARN}x` }) })).toBe(false);
  });

  it('stops the start when the secret is too short or missing', async () => {
    process.env.API_TOKEN_SECRET_ARN = ARN;
    secretString = 'short';
    await expect((await freshModule()).loadApiTokenSecret()).rejects.toThrow(/Secrets Manager.*32/);
    vi.resetModules();
    secretString = undefined;
    await expect((await freshModule()).loadApiTokenSecret()).rejects.toThrow(/Secrets Manager/);
  });

  it('comes from API_TOKEN_SECRET when no secret is named (the local platform)', async () => {
    process.env.API_TOKEN_SECRET = KEY;
    const { loadApiTokenSecret, apiTokenSecret } = await freshModule();
    expect(apiTokenSecret()).toBe(KEY);
    await expect(loadApiTokenSecret()).resolves.toBe(KEY);
    expect(requests).toEqual([]);
  });

  it('names the variables when neither is set', async () => {
    await expect((await freshModule()).loadApiTokenSecret()).rejects.toThrow(/API_TOKEN_SECRET_ARN/);
  });
});
