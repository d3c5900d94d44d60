import { randomUUID } from 'node:crypto';
import { TenantClient, expectProblem } from './support/api-client';
import { holdingExports, waitForStatus } from './support/local-stack-control';

jest.setTimeout(60_000);

describe('Idempotency-Key', () => {
  it('returns the same job for a retried request instead of creating a second one', async () => {
    const client = new TenantClient();
    const key = randomUUID();
    const job = await client.minimalJob();
    const first = await client.create(job, { 'Idempotency-Key': key });
    // Same body, keys in another order: the same request.
    const retry = await client.create({ schema: job.schema, destination: job.destination }, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect((await client.list()).body.records).toHaveLength(1);
  });

  it('answers 409 when the key is reused with a different body', async () => {
    const client = new TenantClient();
    const key = randomUUID();
    await client.create(undefined, { 'Idempotency-Key': key });
    const conflict = await client.create(
      { ...(await client.minimalJob()), fields: 'identities.id' },
      { 'Idempotency-Key': key },
    );
    expectProblem(conflict, 409);
    expect((await client.list()).body.records).toHaveLength(1);
  });

  it('keeps keys apart per tenant', async () => {
    const key = randomUUID();
    const a = await new TenantClient().create(undefined, { 'Idempotency-Key': key });
    const b = await new TenantClient().create(undefined, { 'Idempotency-Key': key });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.imsOrgId).not.toBe(a.body.imsOrgId);
  });

  it('creates one job for concurrent retries of the same request', async () => {
    const client = new TenantClient();
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => client.create(undefined, { 'Idempotency-Key': key })),
    );
    // The first wins; the others get its job or 409 while it is still in progress.
    // Any other answer is shown with its body, to say what went wrong.
    expect(
      responses.filter((response) => response.status !== 200 && response.status !== 409).map((r) => r.text),
    ).toEqual([]);
    expect((await client.list()).body.records).toHaveLength(1);
  });

  it('creates separate jobs for requests without a key', async () => {
    const client = new TenantClient();
    await client.createOk();
    await client.createOk();
    expect((await client.list()).body.records).toHaveLength(2);
  });

  it('GIVEN a job created with a key and since finished and deleted WHEN the request is retried with that key THEN it is a 409 naming the deleted job, and no second job is created', async () => {
    const client = new TenantClient();
    const key = randomUUID();
    const created = await client.create(undefined, { 'Idempotency-Key': key });
    expect(created.status).toBe(200);
    await waitForStatus(client, created.body.id, ['SUCCEEDED'], 170_000);
    expect((await client.delete(created.body.id)).status).toBe(204);

    const retry = await client.create(undefined, { 'Idempotency-Key': key });
    const problem = expectProblem(retry, 409);
    expect(problem.errors).toEqual([
      {
        path: '/idempotency-key',
        code: 'job_deleted',
        message: `created job ${created.body.id}, which has since been deleted`,
      },
    ]);
    expect((await client.list()).body.records).toEqual([]);
    // The export runs to its end first: under load that takes longer than the suite's 60 s.
  }, 180_000);

  it('GIVEN a job created with a key and since cancelled WHEN the request is retried with that key THEN it gets that job as its first response had it (the job still exists)', async () => {
    const client = new TenantClient();
    const key = randomUUID();
    await holdingExports(async () => {
      const created = await client.create(undefined, { 'Idempotency-Key': key });
      expect((await client.delete(created.body.id)).status).toBe(204);
      expect((await client.get(created.body.id)).body.status).toBe('CANCELLED');
      const retry = await client.create(undefined, { 'Idempotency-Key': key });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(created.body);
    });
  });

  it('refuses a malformed key', async () => {
    expectProblem(await new TenantClient().create(undefined, { 'Idempotency-Key': 'has spaces' }), 400);
  });
});
