import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, renderOpenApiFile } from './write-openapi';

describe('docs/openapi.json', () => {
  it('is the document generated from the current route table (run `npm run openapi` after changing routes)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApiFile());
  });
});
