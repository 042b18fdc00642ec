import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clientAddress,
  ORIGIN_SECRET_HEADER,
  parseViewerAddress,
  VIEWER_ADDRESS_HEADER,
  withoutOriginSecret,
} from './viewer-address';

const SECRET = 's'.repeat(48);
const EDGE = '130.176.1.1';

const through = (viewer: string, secret: string | undefined) => ({
  [VIEWER_ADDRESS_HEADER]: viewer,
  ...(secret === undefined ? {} : { [ORIGIN_SECRET_HEADER]: secret }),
});

describe('the client address', () => {
  it('is the viewer CloudFront names when the request carries the origin secret', () => {
    expect(clientAddress(through('198.51.100.10:46532', SECRET), EDGE, SECRET)).toBe('198.51.100.10');
    expect(clientAddress(through('2001:db8:85a3::8a2e:370:7334:443', SECRET), EDGE, SECRET)).toBe(
      '2001:db8:85a3::8a2e:370:7334',
    );
  });

  it('ignores a viewer address sent without the secret, with a wrong one, or when none is configured', () => {
    expect(clientAddress(through('198.51.100.10:46532', undefined), EDGE, SECRET)).toBe(EDGE);
    expect(clientAddress(through('198.51.100.10:46532', 'x'.repeat(48)), EDGE, SECRET)).toBe(EDGE);
    expect(clientAddress(through('198.51.100.10:46532', `${SECRET}x`), EDGE, SECRET)).toBe(EDGE);
    expect(clientAddress(through('198.51.100.10:46532', ''), EDGE, null)).toBe(EDGE);
    expect(clientAddress(undefined, EDGE, SECRET)).toBe(EDGE);
  });

  it('falls back to the source address when the viewer header is missing or malformed', () => {
    expect(clientAddress({ [ORIGIN_SECRET_HEADER]: SECRET }, EDGE, SECRET)).toBe(EDGE);
    for (const value of ['198.51.100.10', 'evil:80', '198.51.100.10:port', ':80', '1.2.3.4, 5.6.7.8:1']) {
      expect(parseViewerAddress(value)).toBeNull();
      expect(clientAddress(through(value, SECRET), EDGE, SECRET)).toBe(EDGE);
    }
  });

  it('takes the secret out of the headers routes see', () => {
    const headers = { ...through('198.51.100.10:1', SECRET), accept: 'text/html' };
    expect(withoutOriginSecret(headers)).toEqual({
      [VIEWER_ADDRESS_HEADER]: '198.51.100.10:1',
      accept: 'text/html',
    });
  });
});

describe('the origin secret', () => {
  const ARN = 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:OriginSecret-AbCdEf';
  let server: Server;
  let calls = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request, response) => {
      calls += 1;
      request.resume();
      request.on('end', () => {
        response.setHeader('content-type', 'application/x-amz-json-1.1');
        response.end(JSON.stringify({ ARN, SecretString: SECRET }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    vi.resetModules();
    calls = 0;
    for (const name of ['ORIGIN_SECRET', 'ORIGIN_SECRET_ARN']) delete process.env[name];
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

  it('is read once from Secrets Manager at cold start, then trusted', async () => {
    process.env.ORIGIN_SECRET_ARN = ARN;
    const module = await import('./viewer-address');
    // Before it is loaded, a deployed function believes no viewer address.
    expect(module.clientAddress(through('198.51.100.10:1', SECRET), EDGE)).toBe(EDGE);
    await expect(module.loadOriginSecret()).resolves.toBe(SECRET);
    await module.loadOriginSecret();
    expect(calls).toBe(1);
    expect(module.clientAddress(through('198.51.100.10:1', SECRET), EDGE)).toBe('198.51.100.10');
  });

  it('comes from ORIGIN_SECRET locally, and without any no viewer address is believed', async () => {
    process.env.ORIGIN_SECRET = SECRET;
    const local = await import('./viewer-address');
    expect(local.clientAddress(through('198.51.100.10:1', SECRET), EDGE)).toBe('198.51.100.10');
    vi.resetModules();
    delete process.env.ORIGIN_SECRET;
    const none = await import('./viewer-address');
    await expect(none.loadOriginSecret()).resolves.toBeNull();
    expect(none.clientAddress(through('198.51.100.10:1', SECRET), EDGE)).toBe(EDGE);
    expect(calls).toBe(0);
  });
});
