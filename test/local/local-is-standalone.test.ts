import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const LOCAL = path.resolve(__dirname, '..', '..', 'local');

/** Every source file under `folder`, recursively. */
function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|js|cjs|mjs)$/.test(entry.name) ? [file] : [];
  });
}

/**
 * The imports of `file` that leave `root`: relative or absolute specifiers resolving outside it.
 * Packages and node builtins (bare specifiers) are allowed. TypeScript's own pre-processor finds
 * the specifiers: static imports, re-exports, `require('…')` and `import('…')`.
 */
function importsLeaving(root: string, file: string, source = fs.readFileSync(file, 'utf8')): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.') || path.isAbsolute(specifier))
    .filter((specifier) => {
      const target = path.resolve(path.dirname(file), specifier);
      return path.relative(root, target).startsWith('..') || path.isAbsolute(path.relative(root, target));
    });
}

describe('the local runtime (local/)', () => {
  it('GIVEN every file under local/ WHEN its imports are read THEN none leaves local/ (only packages and builtins)', () => {
    const files = sourceFiles(LOCAL);
    expect(files.length).toBeGreaterThan(20);
    const leaving = files.flatMap((file) =>
      importsLeaving(LOCAL, file).map((specifier) => `${path.relative(LOCAL, file)} → ${specifier}`),
    );
    expect(leaving).toEqual([]);
  });

  it('GIVEN a file importing bin/, lambda/ and lib/ in each form WHEN checked THEN each import is reported', () => {
    const file = path.join(LOCAL, 'api-gateway', 'example.ts');
    const source = [
      "import { DEV_ISSUER } from '../../bin/stages';",
      "export { ENVIRONMENT } from '../../lambda/adapters/job-table-layout';",
      "const stack = require('../../lib/export-jobs-stack');",
      "const later = import('../../test/unit/support/fixtures');",
      "import { guard } from './guards';",
      "import { LOCAL_ENVIRONMENT } from '../cloudformation-template';",
      "import * as fs from 'node:fs';",
      "import Ajv from 'ajv-draft-04';",
    ].join('\n');
    expect(importsLeaving(LOCAL, file, source)).toEqual([
      '../../bin/stages',
      '../../lambda/adapters/job-table-layout',
      '../../lib/export-jobs-stack',
      '../../test/unit/support/fixtures',
    ]);
  });
});
