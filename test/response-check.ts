import { existsSync, readFileSync, statSync } from 'node:fs';
import { findingsReport } from '@portail/local';
import { afterAll, beforeAll, inject } from 'vitest';

/**
 * Every integration file ends by failing on the answers of the API that differ from their routes'
 * declarations (the response schemas of docs/openapi.json, the declared statuses, udata's date form),
 * as the test platform recorded them while the file ran (packages/local/src/response-check.ts).
 * Files run side by side, so a finding is told by the file(s) running when it was recorded.
 */
let startedAt = 0;
beforeAll(() => {
  const file = inject('responseCheckFile');
  startedAt = existsSync(file) ? statSync(file).size : 0;
});

afterAll(() => {
  const file = inject('responseCheckFile');
  if (!existsSync(file)) return;
  const recorded = readFileSync(file).subarray(startedAt).toString('utf8');
  const report = findingsReport(recorded);
  if (report)
    throw new Error(
      `Answers of the API differ from their routes' declarations: fix the route or its declaration.\n${report}`,
    );
});
