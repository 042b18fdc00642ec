import { describe, expect, inject, it } from 'vitest';
import { api } from './client';

/**
 * Who may send files straight to the uploads bucket from a browser: the site's own origin and the
 * configured ones (ALLOWED_ORIGINS locally, `allowedOrigins` deployed), set by the same PutBucketCors
 * call the stack makes. Any page may read a file it was given a link to.
 */
const storage = () => `${inject('s3Endpoint')}/${inject('bucketName')}/datasets/some-upload.csv`;

function preflight(origin: string, method: string) {
  return fetch(storage(), {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'content-type',
    },
  });
}

describe('the uploads bucket’s CORS', () => {
  const site = new URL(api.url('')).origin;

  it('lets the site’s own pages and the configured origins send files', async () => {
    for (const origin of [site, inject('uploadPageOrigin')]) {
      for (const method of ['PUT', 'POST']) {
        const answer = await preflight(origin, method);
        expect(answer.status, `${method} from ${origin}`).toBe(200);
        expect(answer.headers.get('access-control-allow-methods')).toContain(method);
      }
    }
  });

  it('refuses uploads from any other origin', async () => {
    for (const origin of ['https://elsewhere.example', 'http://localhost:1']) {
      for (const method of ['PUT', 'POST']) {
        expect((await preflight(origin, method)).status, `${method} from ${origin}`).toBe(403);
      }
    }
  });

  it('lets any page read a file it was given a link to', async () => {
    const answer = await preflight('https://a-reuse.example', 'GET');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-methods')).toContain('GET');
  });
});
