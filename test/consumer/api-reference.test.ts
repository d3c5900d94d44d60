import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('API.md', () => {
  it('GIVEN the jsii assembly of the build WHEN jsii-docgen renders it THEN the committed API.md is that reference (else: npm run docgen)', () => {
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-docgen-')), 'API.md');
    try {
      execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-docgen'), ['--output', output], {
        cwd: ROOT,
        stdio: 'pipe',
      });
      expect(fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8')).toBe(fs.readFileSync(output, 'utf8'));
    } finally {
      fs.rmSync(path.dirname(output), { recursive: true, force: true });
    }
  });
});
