import { hostedFileIds } from './hosted-files';

/**
 * CloudFront's standard log files (the legacy format, W3C extended): a `#Version` line, a `#Fields`
 * line naming the tab-separated columns, then one line per request; `-` is an empty value and the
 * user agent is URL-encoded. The distribution delivers them gzipped to its log bucket; the local
 * server writes the same lines, so one parser counts both.
 */
export const CLOUDFRONT_LOG_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'cs-uri-query',
  'cs(Cookie)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
] as const;

export type CloudFrontLogField = (typeof CLOUDFRONT_LOG_FIELDS)[number];
/** One request of a log file: its fields by name, `-` read as absent. */
export type CloudFrontLogEntry = Partial<Record<CloudFrontLogField, string>>;

/** The header lines that open every standard log file. */
export function cloudFrontLogHeader(): string {
  return `#Version: 1.0\n#Fields: ${CLOUDFRONT_LOG_FIELDS.join(' ')}\n`;
}

/** CloudFront's encoding of a free-text field: percent-encoded, so no tab, space or line break remains. */
function encodeField(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%3B/g, ';');
}

/** One log line, as CloudFront writes it (the local server's access log). */
export function formatCloudFrontLogLine(entry: CloudFrontLogEntry): string {
  return CLOUDFRONT_LOG_FIELDS.map((field) => {
    const value = entry[field];
    if (value === undefined || value === '') return '-';
    return field === 'cs(User-Agent)' || field === 'cs(Referer)'
      ? encodeField(value)
      : value.replace(/\s/g, '');
  }).join('\t');
}

function decodeField(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Every request of a log file's text; columns follow its `#Fields` line (the standard order without one). */
export function parseCloudFrontLog(text: string): CloudFrontLogEntry[] {
  let fields: readonly string[] = CLOUDFRONT_LOG_FIELDS;
  const entries: CloudFrontLogEntry[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      if (trimmed.startsWith('#Fields:')) fields = trimmed.slice('#Fields:'.length).trim().split(/\s+/);
      continue;
    }
    const values = trimmed.split('\t');
    const entry: Record<string, string> = {};
    fields.forEach((field, index) => {
      const value = values[index];
      if (value === undefined || value === '-') return;
      entry[field] = field === 'cs(User-Agent)' || field === 'cs(Referer)' ? decodeField(value) : value;
    });
    entries.push(entry as CloudFrontLogEntry);
  }
  return entries;
}

/** A download of a hosted file read from the distribution's log. */
export interface HostedFileDownload {
  datasetId: string;
  resourceId: string;
  at: Date;
  clientIp: string;
  userAgent: string | undefined;
}

/** Statuses of a GET that sent (some of) the file: whole, or a range of it. */
const SENT = new Set(['200', '206']);

/**
 * The downloads among a log's requests: GETs of a hosted file's path that sent bytes (200, or 206 for a
 * range; a HEAD, a 304 or a 404 is no download). Each is counted once per visit by the statistics
 * rules, so the many ranged requests of one download count one.
 */
export function hostedFileDownloadsIn(entries: readonly CloudFrontLogEntry[]): HostedFileDownload[] {
  const downloads: HostedFileDownload[] = [];
  for (const entry of entries) {
    if (entry['cs-method'] !== 'GET' || !SENT.has(entry['sc-status'] ?? '')) continue;
    const ids = entry['cs-uri-stem'] ? hostedFileIds(entry['cs-uri-stem']) : null;
    if (!ids || !entry.date || !entry.time || !entry['c-ip']) continue;
    const at = new Date(`${entry.date}T${entry.time}Z`);
    if (Number.isNaN(at.getTime())) continue;
    downloads.push({
      datasetId: ids.datasetId,
      resourceId: ids.resourceId,
      at,
      clientIp: entry['c-ip'],
      userAgent: entry['cs(User-Agent)'],
    });
  }
  return downloads;
}
