import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the apps a test file synthesizes without an `outdir` write their cloud assembly: one
 * folder per test file, removed when the file is done. Left to itself each `new App()` makes a
 * `cdk.out*` folder of its own in the temporary directory, with a copy of every handler bundle,
 * and nothing removes it: thousands of them filled this machine's disk (78 GB). The apps of a
 * file run one after the other, so they can share one folder (and its staged bundles).
 */
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-test-'));
process.env.CDK_OUTDIR = outdir;

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  delete process.env.CDK_OUTDIR;
});
