import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleHandlers } from '../../../scripts/bundle-handlers';
import { startLocalStackProcess } from './local-stack-process';

/**
 * Starts the local stack exactly as `npm start` does, in its own process, with a fresh data
 * folder and DynamoDB in memory, and hands its URL to the tests through the environment. The
 * handler bundles are brought up to date first (incremental), as `npm start` does, so a run of
 * `npx jest` alone tests the handlers' current code.
 */
export default async function globalSetup(): Promise<void> {
  await bundleHandlers();
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-e2e-'));
  const stack = await startLocalStackProcess(dataDirectory, ['--in-memory']);
  process.env.EXPORT_JOBS_URL = stack.url;
  process.env.EXPORT_JOBS_DATA_DIR = dataDirectory;
  (globalThis as Record<string, unknown>).__localStack = { stack, dataDirectory };
}
