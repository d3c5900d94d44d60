import { TenantClient, expectProblem } from './support/api-client';
import { readBatch } from './support/batches';
import { holdingExports, waitForExecutionEnd, waitForStatus } from './support/local-stack-control';

jest.setTimeout(120_000);

describe('DELETE /export/jobs/{id}', () => {
  it('GIVEN a NEW job WHEN deleted THEN it is CANCELLED at once (204, empty body) and its workflow, started later, ends leaving it CANCELLED', async () => {
    const client = new TenantClient();
    const job = await holdingExports(async () => {
      const created = await client.createOk();
      const response = await client.delete(created.id);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      return created;
    });
    const after = await client.get(job.id);
    expect(after.body.status).toBe('CANCELLED');
    expect(after.body.metrics.totalTime).toEqual({
      startTimeInMs: job.creationTime,
      endTimeInMs: expect.any(Number),
      totalTimeInMs: expect.any(Number),
    });
    // Released, the stream starts its workflow (the INSERT record says NEW); the workflow must
    // find the job cancelled and end without touching it.
    const execution = await waitForExecutionEnd(client.tenant, job);
    expect(execution.status).toBe('SUCCEEDED');
    expect((await client.get(job.id)).body).toEqual(after.body);
  });

  it('deletes a cancelled job from the job list', async () => {
    const client = new TenantClient();
    const job = await holdingExports(async () => {
      const created = await client.createOk();
      await client.delete(created.id);
      return created;
    });
    expect((await client.delete(job.id)).status).toBe(204);
    expectProblem(await client.get(job.id), 404);
    expect((await client.list()).body.records).toEqual([]);
  });

  it('deletes a SUCCEEDED job from the job list; its batch stays', async () => {
    const client = new TenantClient();
    const job = await waitForStatus(client, (await client.createOk()).id, ['SUCCEEDED']);
    expect((await client.delete(job.id)).status).toBe(204);
    expectProblem(await client.get(job.id), 404);
    const batch = await readBatch(client.tenant, job.destination.datasetId, job.destination.batchId!);
    expect(batch.manifest).toMatchObject({ jobId: job.id, totalRecords: 0 });
  });

  it("answers 404 for a missing job and for another tenant's, without touching it", async () => {
    const owner = new TenantClient();
    await holdingExports(async () => {
      const job = await owner.createOk();
      expectProblem(await new TenantClient().delete(job.id), 404);
      expectProblem(await owner.delete(job.id + 1000), 404);
      expect((await owner.get(job.id)).body.status).toBe('NEW');
    });
  });

  it('answers 400 for an id that is not a positive integer', async () => {
    expectProblem(await new TenantClient().delete('x1'), 400);
  });

  it('ends in one consistent state when the same job is deleted concurrently', async () => {
    const client = new TenantClient();
    const job = await holdingExports(async () => {
      const created = await client.createOk();
      const responses = await Promise.all(Array.from({ length: 6 }, () => client.delete(created.id)));
      // Each DELETE either cancelled it, removed it once cancelled, or found it already removed.
      expect(responses.every((response) => [204, 404].includes(response.status))).toBe(true);
      return created;
    });
    const after = await client.get(job.id);
    expect([200, 404]).toContain(after.status);
    if (after.status === 200) expect(after.body.status).toBe('CANCELLED');
  });
});
