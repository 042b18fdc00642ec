import { appendFileSync } from 'node:fs';
import type { RouteDefinition } from '@portail/http';

/** A date-time in the `…Z` form: responses write udata's `…+00:00` form (packages/core/src/dates.ts). */
const Z_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** JSON paths of the strings of `value` that are `…Z` date-times. */
function zDates(value: unknown, at: string, found: string[]): string[] {
  if (typeof value === 'string') {
    if (Z_DATE_TIME.test(value)) found.push(at);
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) zDates(item, `${at}[${index}]`, found);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) zDates(item, `${at}.${key}`, found);
  }
  return found;
}

export interface ResponseFinding {
  route: string;
  status: number;
  problem: string;
}

/**
 * What a response says that its route's declaration does not: a JSON body its response schema refuses,
 * a status the route does not declare, a `…Z` date-time. The test platform writes each finding to a
 * file so that a whole run tells where the API and its OpenAPI document part ways.
 */
export interface Answer {
  route: RouteDefinition;
  requestHeaders: Record<string, string>;
  status: number;
  contentType: string;
  body: string;
}

export function checkResponse({
  route,
  requestHeaders,
  status,
  contentType,
  body,
}: Answer): ResponseFinding[] {
  const name = `${route.method} ${route.path}`;
  const findings: ResponseFinding[] = [];
  const spec = route.responses[status];
  if (!spec) {
    if (status < 400 || !contentType.includes('problem+json'))
      findings.push({ route: name, status, problem: 'status not declared' });
    return findings;
  }
  // RDF documents write xsd:dateTime (where `Z` is right) and are checked against the DCAT-AP shapes.
  if (!contentType.includes('json') || contentType.includes('ld+json') || !body) return findings;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [{ route: name, status, problem: 'body is not JSON' }];
  }
  // A field mask (udata's X-Fields) answers part of the declared shape on purpose.
  const masked = Object.keys(requestHeaders).some((header) => header.toLowerCase() === 'x-fields');
  if (spec.schema && !masked) {
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 5))
        findings.push({
          route: name,
          status,
          problem: `schema: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        });
    }
  }
  for (const at of zDates(json, '$', []))
    findings.push({ route: name, status, problem: `date-time in the Z form at ${at}` });
  return findings;
}

/** A response hook for the API server that appends each finding as a JSON line to `file`. */
export function responseCheckTo(file: string) {
  return (answer: Answer) => {
    for (const finding of checkResponse(answer)) appendFileSync(file, `${JSON.stringify(finding)}\n`);
  };
}

/** Findings (JSON lines), one line per distinct finding with its count; null when there are none. */
export function findingsReport(lines: string): string | null {
  const counts = new Map<string, number>();
  for (const line of lines.split('\n')) {
    if (!line) continue;
    const finding = JSON.parse(line) as ResponseFinding;
    // Array positions differ between answers of the same shape: counted as one finding.
    const key = `${finding.status} ${finding.route}: ${finding.problem.replace(/\[\d+\]|\.\d+\./g, '[]')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return null;
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `  ${count}× ${key}`)
    .join('\n');
}
