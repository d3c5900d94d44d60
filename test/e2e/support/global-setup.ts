import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Starts the local stack exactly as `npm start` does, in its own process, with a fresh data
 * folder and DynamoDB in memory, and hands its URL to the tests through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-e2e-'));
  const readyFile = path.join(dataDirectory, 'ready.json');
  const outputFile = path.join(dataDirectory, 'local-stack.log');
  const output = fs.openSync(outputFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      'bin/local.ts',
      '--port',
      '0',
      '--in-memory',
      '--data-dir',
      dataDirectory,
      '--ready-file',
      readyFile,
    ],
    { cwd: ROOT, stdio: ['ignore', output, output] },
  );
  child.unref();
  const stderr = () => fs.readFileSync(outputFile, 'utf8');
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(readyFile)) {
    if (child.exitCode !== null) throw new Error(`The local stack exited (${child.exitCode}):\n${stderr()}`);
    if (Date.now() > deadline) throw new Error(`The local stack did not start within 3 minutes:\n${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  fs.closeSync(output);
  const ready = JSON.parse(fs.readFileSync(readyFile, 'utf8'));
  process.env.EXPORT_JOBS_URL = ready.url;
  process.env.EXPORT_JOBS_DATA_DIR = dataDirectory;
  (globalThis as Record<string, unknown>).__localStack = { child, dataDirectory };
}
