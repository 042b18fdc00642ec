import { ValidationError } from '@portail/core';

/** One file of a `multipart/form-data` body. */
export interface FormFile {
  /** The form field it was sent in (`file` for udata's uploads). */
  field: string;
  filename: string;
  /** The part's Content-Type; null when the client sent none. */
  contentType: string | null;
  bytes: Buffer;
}

/** A `multipart/form-data` body: its text fields (the last value of a repeated name wins) and files. */
export interface MultipartForm {
  fields: Record<string, string>;
  files: FormFile[];
}

const MAX_PARTS = 50;
const MAX_HEADER_BYTES = 16 * 1024;

export function isMultipartForm(contentType: string | undefined): boolean {
  return /^\s*multipart\/form-data\b/i.test(contentType ?? '');
}

/** A parameter of a header value (`boundary`, `name`, `filename`, `filename*`), unquoted. */
function headerParameter(value: string, name: string): string | null {
  const pattern = new RegExp(
    `(?:^|;)\\s*${name.replace('*', '\\*')}\\s*=\\s*("((?:[^"\\\\]|\\\\.)*)"|[^;]*)`,
    'i',
  );
  const match = pattern.exec(value);
  if (!match) return null;
  return match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[1] ?? '').trim();
}

/** RFC 5987 `filename*=UTF-8''na%C3%AFve.csv`. */
function extendedValue(value: string): string | null {
  const match = /^([\w-]+)'[\w-]*'(.*)$/.exec(value);
  if (!match?.[2]) return null;
  try {
    return decodeURIComponent(match[2]);
  } catch {
    return null;
  }
}

function malformed(reason: string): ValidationError {
  return new ValidationError(`The multipart/form-data body is malformed: ${reason}.`);
}

/**
 * Reads a whole `multipart/form-data` body (RFC 7578), as API Gateway hands it to a function: parts
 * separated by the boundary, each with its headers; a part with a file name is a file. Malformed bodies
 * are a 400 saying what is wrong.
 */
export function parseMultipartForm(body: Buffer, contentType: string): MultipartForm {
  const boundary = headerParameter(contentType, 'boundary');
  if (!boundary || boundary.length > 200) throw malformed('no boundary in its Content-Type');
  const delimiter = Buffer.from(`--${boundary}`);
  const form: MultipartForm = { fields: Object.create(null), files: [] };
  let position = body.indexOf(delimiter);
  if (position < 0) throw malformed('the boundary never appears');
  for (let count = 0; ; count++) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return form;
    if (count >= MAX_PARTS) throw malformed(`more than ${MAX_PARTS} parts`);
    if (body.subarray(position, position + 2).toString() !== '\r\n')
      throw malformed('a boundary is not followed by a line break');
    position += 2;
    const headersEnd = body.indexOf('\r\n\r\n', position);
    if (headersEnd < 0 || headersEnd - position > MAX_HEADER_BYTES)
      throw malformed('a part has no end to its headers');
    const headers = new Map<string, string>();
    for (const line of body.subarray(position, headersEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const contentStart = headersEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), contentStart);
    if (next < 0) throw malformed('the last part is not closed by the boundary');
    const content = body.subarray(contentStart, next);
    position = next + 2;
    const disposition = headers.get('content-disposition') ?? '';
    const name = headerParameter(disposition, 'name');
    if (!/^form-data\b/i.test(disposition) || name === null) throw malformed('a part has no form-data name');
    const extended = headerParameter(disposition, 'filename*');
    const filename = (extended && extendedValue(extended)) ?? headerParameter(disposition, 'filename');
    if (filename !== null) {
      form.files.push({
        field: name,
        // Browsers and clients may send a path: only its last segment names the file.
        filename: filename.split(/[\\/]/).at(-1) ?? '',
        contentType: headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || null,
        bytes: Buffer.from(content),
      });
    } else {
      form.fields[name] = content.toString('utf8');
    }
  }
}
