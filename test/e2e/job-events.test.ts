import { TenantClient, newTenant } from './support/api-client';
import { clearFaults, holdingExports, injectFault, jobEndedEvents, waitForStatus } from './support/local-stack-control';

jest.setTimeout(180_000);

describe('job events on EventBridge', () => {
  afterEach(() => clearFaults());

  it('GIVEN a job that exports WHEN it succeeds THEN its event on the default bus carries its id, tenant, status, counts and batch', async () => {
    const client = new TenantClient(newTenant('events'));
    const job = await waitForStatus(client, (await client.createOk()).id, ['SUCCEEDED']);
    const events = await jobEndedEvents(job);
    expect(events).toHaveLength(1);
    expect(events[0].eventBusName).toBe('default');
    expect(events[0].event.detail).toEqual({
      id: job.id,
      imsOrgId: job.imsOrgId,
      sandboxName: job.sandboxName,
      status: 'SUCCEEDED',
      datasetId: job.destination.datasetId,
      batchIds: [job.destination.batchId],
      totalExportedProfileCounter: job.metrics.totalExportedProfileCounter,
      exportedProfileByNamespaceCounter: job.metrics.exportedProfileByNamespaceCounter,
      errors: [],
      creationTime: job.creationTime,
      endTime: job.updateTime,
    });
  });

  it('GIVEN a NEW job WHEN a DELETE cancels it THEN its event says CANCELLED', async () => {
    const client = new TenantClient(newTenant('events'));
    const job = await holdingExports(async () => {
      const created = await client.createOk();
      expect((await client.delete(created.id)).status).toBe(204);
      return created;
    });
    const [event] = await jobEndedEvents(job);
    expect(event.event.detail).toMatchObject({ id: job.id, status: 'CANCELLED', totalExportedProfileCounter: 0 });
  });

  it('GIVEN a step that fails for good WHEN the job ends FAILED THEN its event carries the errors', async () => {
    const client = new TenantClient(newTenant('events'));
    // Every invocation fails: a count of 1 could be spent on the late execution of an earlier
    // test's job (its start, held until then, is retried from the stream).
    await injectFault({
      function: 'PlanExportFunction',
      count: -1,
      when: 'before',
      errorType: 'Boom',
      errorMessage: 'the planner broke',
    });
    const job = await waitForStatus(client, (await client.createOk()).id, ['FAILED']);
    const [event] = await jobEndedEvents(job);
    expect(event.event.detail).toMatchObject({
      id: job.id,
      status: 'FAILED',
      errors: [{ code: 'Boom', msg: 'the planner broke', callStack: 'PlanExport' }],
    });
  });
});
