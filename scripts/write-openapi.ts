import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOpenApiDocument } from '../lib/openapi-document';

/** `npm run openapi`: writes docs/openapi.json from the contract's schemas and operations. */
export const OPENAPI_FILE = path.join(__dirname, '..', 'docs', 'openapi.json');

export function renderOpenApi(): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  return `${JSON.stringify(buildOpenApiDocument(version), null, 2)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
