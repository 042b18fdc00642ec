import { describe, expect, it } from 'vitest';
import type { ResourceUpload } from './resource';
import { judgeUpload } from './upload-verdict';

const upload: ResourceUpload = {
  id: 'u1',
  key: 'datasets/d/r/u1/data.csv',
  filename: 'data.csv',
  mime: 'text/csv',
  size: 20,
  max_bytes: 1000,
  multipart_id: null,
  part_size: null,
  status: 'pending',
  reason: null,
  created_at: '2025-05-01T10:00:00.000Z',
  expires_at: '2025-05-01T10:15:00.000Z',
};
const head = new TextEncoder().encode('a,b\n1,2\n');
upload.size = head.length;
const arrived = {
  size: head.length,
  truncated: false,
  contentType: 'text/csv',
  lastModified: new Date('2025-05-01T10:05:00.000Z'),
  head,
};

describe('judgeUpload', () => {
  it('accepts what the form promised', () => {
    expect(judgeUpload(upload, arrived)).toMatchObject({ accepted: true, format: 'csv', mime: 'text/csv' });
  });

  it('refuses a file over the allowed size, read or not', () => {
    expect(judgeUpload(upload, { ...arrived, size: 1001 })).toMatchObject({
      accepted: false,
      reason: /1000 bytes/,
    });
    expect(judgeUpload(upload, { ...arrived, truncated: true })).toMatchObject({ accepted: false });
  });

  it('refuses a file of another size than declared, smaller or larger (declared 10 B, sent 6,000 B)', () => {
    const declared = { ...upload, size: 10, max_bytes: 10 };
    expect(judgeUpload(declared, { ...arrived, size: 6000 })).toMatchObject({ accepted: false });
    expect(judgeUpload({ ...upload, size: 10, max_bytes: 1000 }, { ...arrived, size: 6 })).toEqual({
      accepted: false,
      reason: 'The file is 6 bytes but 10 bytes were declared.',
    });
    expect(judgeUpload({ ...upload, size: 10, max_bytes: 1000 }, { ...arrived, size: 11 })).toEqual({
      accepted: false,
      reason: 'The file is 11 bytes but 10 bytes were declared.',
    });
  });

  it('refuses an empty file', () => {
    expect(judgeUpload(upload, { ...arrived, size: 0, head: new Uint8Array() })).toMatchObject({
      accepted: false,
      reason: 'The file is empty.',
    });
  });

  it('refuses a form sent with another content type (a tampered form)', () => {
    expect(judgeUpload(upload, { ...arrived, contentType: 'text/html' }).accepted).toBe(false);
    expect(judgeUpload(upload, { ...arrived, contentType: 'text/csv; charset=utf-8' }).accepted).toBe(true);
  });

  it('refuses a form used after it expired, beyond a little clock skew', () => {
    expect(
      judgeUpload(upload, { ...arrived, lastModified: new Date('2025-05-01T10:19:00.000Z') }).accepted,
    ).toBe(true);
    expect(judgeUpload(upload, { ...arrived, lastModified: new Date('2025-05-01T10:21:00.000Z') })).toEqual({
      accepted: false,
      reason: 'The upload form had expired when the file was sent.',
    });
  });

  it('leaves content type and expiry of multipart uploads to S3 (Portail set them when it created the upload)', () => {
    const multipart = { ...upload, multipart_id: 'm', part_size: 8 };
    expect(
      judgeUpload(multipart, {
        ...arrived,
        contentType: 'binary/octet-stream',
        lastModified: new Date('2030-01-01'),
      }),
    ).toMatchObject({ accepted: true });
  });

  it('judges the bytes last: HTML is refused', () => {
    const page = new TextEncoder().encode('<!doctype html><html>');
    expect(
      judgeUpload({ ...upload, size: page.length }, { ...arrived, size: page.length, head: page }),
    ).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('HTML'),
    });
  });
});
