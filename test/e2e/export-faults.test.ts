import type { JobRecord } from '../../lambda/contract/job-record';
import { TRANSIENT_EXPORT_ERROR } from '../../lambda/contract/workflow';
import { GENERATED_SEGMENTS } from '../../bin/support/profile-generator';
import { TenantClient, expectProblem, inParallel, newTenant } from './support/api-client';
import { readBatch, waitForEmptyBatch } from './support/batches';
import { canonicalMultiset } from './support/canonical-json';
import { expectedExport } from './support/export-oracle';
import {
  clearFaults,
  injectFault,
  jobEndedEvents,
  listFaults,
  waitForFaultToFail,
  seedTenant,
  waitForExecutionEnd,
  waitForIndexedTenant,
  waitForStatus,
} from './support/local-stack-control';

jest.setTimeout(600_000);

const GENERATION = { profiles: 2000, seed: 7 };
const REQUEST = {
  fields: 'identities,personalEmail.address',
  filter: { segments: [{ segmentId: GENERATED_SEGMENTS[0].segmentId, status: ['realized', 'existing'] }] },
};
const jobRequest = (datasetId: string) => ({
  ...REQUEST,
  destination: { datasetId },
  schema: { name: '_xdm.context.profile' },
});
/** A job of the test into a dataset of its own, created through the API first (its batches are read by the job's datasetId). */
const newJobRequest = async (client: TenantClient) => jobRequest(await client.newDataset('json'));

async function expectOracleOutput(client: TenantClient, job: JobRecord): Promise<void> {
  const batch = await readBatch(client.tenant, job.destination.datasetId, job.destination.batchId!);
  const [expected] = expectedExport(REQUEST, GENERATION);
  expect(canonicalMultiset(batch.records)).toEqual(canonicalMultiset(expected.lines.map((line) => JSON.parse(line))));
  expect(job.metrics.totalExportedProfileCounter).toBe(expected.lines.length);
}

describe('export workflow under faults and cancellation', () => {
  const client = new TenantClient(newTenant('faults'));

  // The jobs list a segment: they read the membership index, which the service fills from the
  // profile table's stream, so the oracle holds once the seeded store is indexed.
  beforeAll(async () => {
    await seedTenant(client.tenant, GENERATION.profiles, GENERATION.seed);
    await waitForIndexedTenant(client.tenant, GENERATION.profiles, GENERATION.seed);
  });
  afterEach(() => clearFaults());

  it('retries a worker that failed after writing its part, and exports every profile exactly once', async () => {
    // Two invocations run to the end, then are reported timed out: Step Functions retries them
    // with the same input, and they overwrite the parts they had written.
    await injectFault({
      function: 'ExportShardFunction',
      count: 2,
      when: 'after',
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 120.00 seconds',
    });
    const job = await waitForStatus(client, (await client.createOk(await newJobRequest(client))).id);
    expect((await listFaults())[0].remaining).toBe(0);
    expect({ status: job.status, errors: job.errors }).toEqual({ status: 'SUCCEEDED', errors: [] });
    await expectOracleOutput(client, job);
  });

  it('ends FAILED, saying why, when a worker keeps failing', async () => {
    await injectFault({
      function: 'ExportShardFunction',
      count: -1,
      when: 'before',
      errorType: 'DatasetUnavailable',
      errorMessage: 'The dataset store is unavailable',
    });
    const job = await waitForStatus(client, (await client.createOk(await newJobRequest(client))).id);
    expect(job.status).toBe('FAILED');
    expect(job.errors).toEqual([
      { code: 'DatasetUnavailable', msg: 'The dataset store is unavailable', callStack: 'ExportShards' },
    ]);
    expect(job.metrics.totalTime?.endTimeInMs).toBeGreaterThanOrEqual(job.creationTime);
    await jobEndedEvents(job);
    expect((await readBatch(client.tenant, job.destination.datasetId, job.destination.batchId!)).files).toEqual([]);
  });

  it('GIVEN a PROCESSING job that wrote parts WHEN deleted THEN its execution stops, it ends CANCELLED and, by its event, its batch folder is empty', async () => {
    // Its finalizer keeps failing (and being retried) until the DELETE: the parts are written.
    await injectFault({
      function: 'FinalizeExportFunction',
      count: -1,
      when: 'before',
      errorType: TRANSIENT_EXPORT_ERROR,
      errorMessage: 'held by a test',
    });
    const created = await client.createOk(await newJobRequest(client));
    await waitForFaultToFail('FinalizeExportFunction');
    expect(
      (await readBatch(client.tenant, created.destination.datasetId, created.destination.batchId!)).files,
    ).not.toEqual([]);
    const response = await client.delete(created.id);
    expect(response.status).toBe(204);
    const cancelled = await waitForStatus(client, created.id, ['CANCELLED', 'SUCCEEDED'], 30_000, 50);
    expect(cancelled.status).toBe('CANCELLED');
    // A 204 means no finalizer had claimed the job, and none can now; once the execution has
    // ended, no step of it runs any more: the batch stays without a manifest.
    await waitForExecutionEnd(client.tenant, created);
    expect((await client.get(created.id)).body.status).toBe('CANCELLED');
    // Its counters say how far it got; what its workers wrote is gone once its event is out.
    await jobEndedEvents(created);
    expect((await readBatch(client.tenant, created.destination.datasetId, created.destination.batchId!)).files).toEqual(
      [],
    );
    // A second DELETE removes the cancelled job.
    expect((await client.delete(created.id)).status).toBe(204);
    expectProblem(await client.get(created.id), 404);
  });

  it('ends every job of a cancel/finish race in one consistent state', async () => {
    const jobs = await inParallel(6, 6, async () => client.createOk(await newJobRequest(client)));
    // DELETE each at a different moment, some while PROCESSING, some as they finish.
    const deletes = await inParallel(jobs.length, jobs.length, async (index) => {
      await new Promise((resolve) => setTimeout(resolve, 300 + index * 700));
      return (await client.delete(jobs[index].id)).status;
    });
    for (const [index, job] of jobs.entries()) {
      expect([204, 409]).toContain(deletes[index]);
      const latest = await client.get(job.id);
      const batch = await readBatch(client.tenant, job.destination.datasetId, job.destination.batchId!);
      if (latest.status === 404) {
        // It had finished (SUCCEEDED) and DELETE removed it: its batch is complete.
        expect(batch.manifest).toBeDefined();
        continue;
      }
      const final = await waitForStatus(client, job.id);
      if (final.status === 'SUCCEEDED') {
        // DELETE came while it wrote its manifests (409), or after it finished.
        expect(
          batch.manifest ??
            (await readBatch(client.tenant, job.destination.datasetId, job.destination.batchId!)).manifest,
        ).toBeDefined();
        await expectOracleOutput(client, final);
      } else {
        expect(final.status).toBe('CANCELLED');
        await waitForEmptyBatch(client.tenant, job.destination.datasetId, job.destination.batchId!);
      }
    }
  });
});
