import { ValidationError } from '@portail/core';
import { describe, expect, it } from 'vitest';
import { isMultipartForm, parseMultipartForm } from './multipart-form';

const CT = 'multipart/form-data; boundary=XyZ';
const body = (...lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('parseMultipartForm', () => {
  it('reads files and fields as python-requests sends them', () => {
    const form = parseMultipartForm(
      body(
        '--XyZ',
        'Content-Disposition: form-data; name="uuid"',
        '',
        'abc-123',
        '--XyZ',
        'Content-Disposition: form-data; name="file"; filename="données.csv"',
        '',
        'a,b\r\n1,2\r\n',
        '--XyZ--',
        '',
      ),
      CT,
    );
    expect(form.fields).toEqual({ uuid: 'abc-123' });
    expect(form.files).toEqual([
      { field: 'file', filename: 'données.csv', contentType: null, bytes: Buffer.from('a,b\r\n1,2\r\n') },
    ]);
  });

  it('keeps binary bytes, the part content type, RFC 5987 names and only the last path segment', () => {
    const bytes = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]);
    const form = parseMultipartForm(
      Buffer.concat([
        body(
          '--b"1',
          `Content-Disposition: form-data; name="file"; filename="C:\\\\x\\\\old.bin"; filename*=UTF-8''na%C3%AFve.bin`,
          'Content-Type: Application/Octet-Stream; charset=x',
          '',
          '',
        ),
        bytes,
        body('', '--b"1--'),
      ]),
      'multipart/form-data; boundary="b\\"1"',
    );
    expect(form.files[0]).toEqual({
      field: 'file',
      filename: 'naïve.bin',
      contentType: 'application/octet-stream',
      bytes,
    });
  });

  it.each([
    ['no boundary', Buffer.from('x'), 'multipart/form-data', /no boundary/],
    ['boundary absent', Buffer.from('hello'), CT, /never appears/],
    ['unclosed', body('--XyZ', 'Content-Disposition: form-data; name="a"', '', 'v'), CT, /not closed/],
    [
      'no headers end',
      body('--XyZ', 'Content-Disposition: form-data; name="a"'),
      CT,
      /no end to its headers/,
    ],
    ['no name', body('--XyZ', 'Content-Disposition: form-data', '', 'v', '--XyZ--'), CT, /no form-data name/],
    ['garbage after boundary', body('--XyZjunk', '', '--XyZ--'), CT, /line break/],
  ])('refuses a body with %s', (_what, raw, contentType, reason) => {
    expect(() => parseMultipartForm(raw, contentType)).toThrow(ValidationError);
    expect(() => parseMultipartForm(raw, contentType)).toThrow(reason);
  });

  it('refuses too many parts', () => {
    const parts = Array.from(
      { length: 51 },
      (_, i) => `--XyZ\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv`,
    );
    expect(() => parseMultipartForm(Buffer.from(`${parts.join('\r\n')}\r\n--XyZ--`), CT)).toThrow(
      /more than 50/,
    );
  });

  it('tells a form content type', () => {
    expect(isMultipartForm('multipart/form-data; boundary=a')).toBe(true);
    expect(isMultipartForm('Multipart/Form-Data;boundary=a')).toBe(true);
    expect(isMultipartForm('application/json')).toBe(false);
    expect(isMultipartForm(undefined)).toBe(false);
  });
});
