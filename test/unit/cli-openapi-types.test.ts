import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the CLI typed client', () => {
  it('GIVEN docs/openapi.json WHEN openapi-typescript renders it THEN the committed cli/generated/openapi.ts is that output (else: npm run openapi)', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-openapi-types-'));
    try {
      const output = path.join(directory, 'openapi.ts');
      execFileSync(
        path.join(ROOT, 'node_modules', '.bin', 'openapi-typescript'),
        [path.join(ROOT, 'docs', 'openapi.json'), '-o', output],
        { cwd: ROOT, stdio: 'pipe' },
      );
      expect(fs.readFileSync(path.join(ROOT, 'cli', 'generated', 'openapi.ts'), 'utf8')).toBe(
        fs.readFileSync(output, 'utf8'),
      );
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
