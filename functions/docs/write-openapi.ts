/** `npm run openapi`: writes docs/openapi.json, the generated API description kept in the repository. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from './openapi-document';

export const OPENAPI_FILE = path.resolve(import.meta.dirname, '../../docs/openapi.json');
export const DOCUMENTED_SERVER = 'http://localhost:3000';

export function renderOpenApiFile(): string {
  return `${JSON.stringify(openApiDocument(DOCUMENTED_SERVER), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(OPENAPI_FILE, renderOpenApiFile());
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
