import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobRecord } from '../../lambda/contract/job-record';
import { TenantClient, newTenant, type TestTenant } from './support/api-client';
import { readBatch } from './support/batches';
import { canonicalMultiset } from './support/canonical-json';
import { expectedExport } from './support/export-oracle';
import {
  describeExecution,
  injectFault,
  localStack,
  seedTenant,
  waitForFaultToFail,
  waitForStatus,
} from './support/local-stack-control';
import { startLocalStackProcess, type LocalStackProcess } from './support/local-stack-process';

jest.setTimeout(600_000);

/** A client of a stack of this test's own. */
function clientOf(stack: LocalStackProcess, tenant: TestTenant): TenantClient {
  return new TenantClient(tenant, { baseUrl: stack.url, dataDirectory: stack.dataDirectory });
}

const TERMINAL: JobRecord['status'][] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * The local stack killed outright (SIGKILL) twice: once between accepting a job and starting
 * its workflow, once in the middle of an export. Each time, after a restart on the same data
 * folder, the job ends — and the export holds every profile exactly once.
 */
describe('a crash of the local stack', () => {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-crash-'));
  // About 94 profiles in each of the 32 shards: every shard needs two pages of the local stage's
  // 50, so the kill lands with shards half done (a cursor handed back, parts written) and ~60
  // page invocations still to run after the first one is counted. More profiles only add pages
  // of the same kind (6,000 took a minute more to seed and export).
  const generation = { profiles: 3000, seed: 11, events: false };
  const exportRequest = { fields: 'identities.id' };
  const tenant = newTenant('crash');
  let stack: LocalStackProcess | undefined;
  let accepted: JobRecord;
  let interrupted: JobRecord;
  let datasetId: string;

  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('GIVEN a job accepted whose starter crashes WHEN the stack is killed before any workflow starts and restarted THEN the job still ends SUCCEEDED', async () => {
    stack = await startLocalStackProcess(dataDirectory, ['--no-seed']);
    await seedTenant(tenant, generation.profiles, generation.seed, generation.events, localStack(dataDirectory));
    // The starter never gets through: the process dies with the job accepted but not started.
    await injectFault(
      { function: 'StartExportFunction', count: -1, when: 'before', errorType: 'Crash', errorMessage: 'crash' },
      dataDirectory,
    );
    // The tenant's dataset, created through the API: it outlives the crashes with the data folder.
    datasetId = await clientOf(stack, tenant).newDataset('json');
    const response = await clientOf(stack, tenant).create({
      fields: 'identities.id',
      destination: { datasetId },
      schema: { name: '_xdm.context.profile' },
    });
    expect(response.status).toBe(200);
    accepted = response.body;
    // The stream has handed the job to the starter, and the starter crashed before starting it.
    await waitForFaultToFail('StartExportFunction', dataDirectory);
    expect((await clientOf(stack, tenant).get(accepted.id)).body.status).toBe('NEW');
    expect(await describeExecution(tenant, accepted, localStack(dataDirectory))).toBeUndefined();
    await stack.kill();

    stack = await startLocalStackProcess(dataDirectory, ['--no-seed']);
    const job = await waitForStatus(clientOf(stack, tenant), accepted.id, TERMINAL, 180_000);
    // The errors too, so that a failure says why.
    expect({ status: job.status, errors: job.errors }).toEqual({ status: 'SUCCEEDED', errors: [] });
  });

  it('in the middle of an export: after a restart the job still ends, with every profile exported once', async () => {
    const client = clientOf(stack!, tenant);
    const created = await client.createOk({
      ...exportRequest,
      destination: { datasetId },
      schema: { name: '_xdm.context.profile' },
    });
    // Wait until workers have written some parts, then kill everything.
    const deadline = Date.now() + 60_000;
    while (
      Date.now() < deadline &&
      ((await client.get(created.id)).body.metrics.totalExportedProfileCounter ?? 0) === 0
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect((await client.get(created.id)).body.status).toBe('PROCESSING');
    await stack!.kill();

    stack = await startLocalStackProcess(dataDirectory, ['--no-seed']);
    interrupted = await waitForStatus(clientOf(stack, tenant), created.id, TERMINAL, 300_000);
    expect({ status: interrupted.status, errors: interrupted.errors }).toEqual({ status: 'SUCCEEDED', errors: [] });
    const [expected] = expectedExport(exportRequest, generation);
    const batch = await readBatch(tenant, datasetId, interrupted.destination.batchId!, localStack(dataDirectory));
    expect(canonicalMultiset(batch.records)).toEqual(canonicalMultiset(expected.lines.map((line) => JSON.parse(line))));
    expect(interrupted.metrics.totalExportedProfileCounter).toBe(expected.lines.length);
  });
});
