import { hostedFilesGateSource, hostedFilesHeadersSource } from '@portail/core';
import { describe, expect, it } from 'vitest';
import { cloudFrontFunction } from './hosted-files';

/** The hosted files' CloudFront Functions, run as the local server runs them (and CloudFront does). */
describe('the hosted files’ CloudFront functions', () => {
  const hidden = new Set(['hidden-dataset', 'removed-resource']);
  const gate = cloudFrontFunction(hostedFilesGateSource('store-id'), {
    exists: async (key) => hidden.has(key),
  });
  const request = (uri: string) => ({
    version: '1.0' as const,
    context: { eventType: 'viewer-request' as const, distributionId: 'E1', requestId: 'r' },
    viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri, querystring: { versionId: { value: 'x' } }, headers: {} },
  });

  it('lets a file of a public dataset through to the bucket, without its query string', async () => {
    const answer = await gate(request('/files/ds1/res1/up1/run1/data.csv'));
    expect(answer).toEqual({
      method: 'GET',
      uri: '/files/ds1/res1/up1/run1/data.csv',
      querystring: {},
      headers: {},
    });
  });

  it('answers 404 for a hidden dataset or resource, and for any path that is not a file’s shape', async () => {
    for (const uri of [
      '/files/hidden-dataset/res1/up1/run1/data.csv',
      '/files/ds1/removed-resource/up1/run1/data.csv',
      '/files/',
      '/files/ds1/res1/data.csv',
      '/files/ds1/res1/up1/run1/data.csv/more',
      '/files/ds1//up1/run1/data.csv',
      '/files/ds1/res1/up1/../data.csv',
      '/other/ds1/res1/up1/run1/data.csv',
    ]) {
      expect(await gate(request(uri)), uri).toMatchObject({
        statusCode: 404,
        headers: { 'content-type': { value: 'application/problem+json' } },
      });
    }
  });

  it('fit in CloudFront Functions’ 10 KB of code', () => {
    for (const source of [hostedFilesGateSource('a'.repeat(36)), hostedFilesHeadersSource()]) {
      expect(Buffer.byteLength(source)).toBeLessThan(10 * 1024);
    }
  });

  it('names a sent file after its URL, and leaves other answers alone', async () => {
    const decorate = cloudFrontFunction(hostedFilesHeadersSource());
    const event = (statusCode: number) => ({
      ...request('/files/ds1/res1/up1/run1/data.csv'),
      response: { statusCode, headers: { 'content-type': { value: 'text/csv' } } },
    });
    for (const status of [200, 206]) {
      expect(await decorate(event(status))).toMatchObject({
        headers: {
          'content-type': { value: 'text/csv' },
          'content-disposition': { value: 'attachment; filename="data.csv"' },
          'x-content-type-options': { value: 'nosniff' },
        },
      });
    }
    expect(await decorate(event(403))).toEqual({
      statusCode: 403,
      headers: { 'content-type': { value: 'text/csv' } },
    });
    // The type comes from the name, whatever the uploader declared; no known type, no guess.
    const typed = async (uri: string) => {
      const answer = await decorate({
        ...request(uri),
        response: { statusCode: 200, headers: { 'content-type': { value: 'text/html' } } },
      });
      return (answer as { headers: Record<string, { value: string }> }).headers['content-type']!.value;
    };
    expect(await typed('/files/d/r/u/v/data.JSON')).toBe('application/json');
    expect(await typed('/files/d/r/u/v/data.csv.gz')).toBe('application/gzip');
    expect(await typed('/files/d/r/u/v/README')).toBe('application/octet-stream');
    expect(await typed('/files/d/r/u/v/x.constructor')).toBe('application/octet-stream');
  });
});
