import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleHandlers } from '../../../scripts/bundle-handlers';
import { TenantClient, newTenant } from './api-client';
import { startLocalStackProcess } from './local-stack-process';

/** Parallel clients of the warm-up: as many as the suites' bursts of requests. */
const WARM_UP_CLIENTS = 8;

/**
 * Starts an execution environment of the authorizer and of each API function per parallel
 * client, as traffic would before the suites' bursts: a burst of cold starts on a busy 2-core
 * machine can exceed the authorizer's timeout, which no test here is about. A 5xx or 429 is
 * asked again until the environment answers.
 */
async function warmUp(): Promise<void> {
  const client = new TenantClient(newTenant('warm-up'));
  const calls = [
    () => client.list(),
    () => client.get(1),
    () => client.create({}),
    () => client.listDatasets(),
    () => client.getDataset('0'.repeat(24)),
    () => client.createDatasetRequest({}),
  ];
  const deadline = Date.now() + 180_000;
  await Promise.all(
    Array.from({ length: WARM_UP_CLIENTS }, async () => {
      for (const call of calls) {
        for (let response = await call(); response.status >= 500 || response.status === 429; response = await call()) {
          if (Date.now() > deadline) throw new Error(`The API still answers ${response.status}: ${response.text}`);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }),
  );
}

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
  await warmUp();
}
