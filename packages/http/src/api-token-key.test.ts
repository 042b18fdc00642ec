import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const ARN = 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:ApiTokenSecret-AbCdEf';
const KEY = 'k'.repeat(64);

/** Secrets Manager's GetSecretValue (JSON 1.1 over HTTP), answering `secretString` for the one ARN. */
let secretString: string | undefined = KEY;
const requests: { target: string | undefined; body: { SecretId?: string }; signed: boolean }[] = [];
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
    const parsed = JSON.parse(await body(request)) as { SecretId?: string };
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
