import type { JobRecord } from '../../../lambda/contract/job-record';
import { toCreateJobCommand } from '../../../lambda/domain/create-job-command';
import { WorkflowStartRefused } from '../../../lambda/domain/errors';
import { jobEndedDetail } from '../../../lambda/domain/export/job-ended-event';
import { executionInputOf, startExport } from '../../../lambda/domain/export/start-export';
import { newJob } from '../../../lambda/domain/new-job';

const tenant = { orgId: 'org@AdobeOrg', sandboxName: 'prod' };

function aJob(
  body: unknown = { destination: { datasetId: 'ds' }, schema: { name: '_xdm.context.profile' } },
): JobRecord {
  let batch = 0;
  return newJob(toCreateJobCommand(body, { mergePolicy: { id: 'mp' } }), {
    id: 7,
    tenant,
    profileInstanceId: 'ups',
    format: 'json',
    requestId: 'req',
    now: 1000,
    newBatchId: () => `batch-${++batch}`,
    executionId: 'arn:execution:7',
  });
}

describe('starting an export', () => {
  it('GIVEN a NEW job WHEN its execution input is built THEN it carries the job (tenant and id) and no storage key', () => {
    const input = executionInputOf(aJob());
    expect(input).toEqual({
      job: {
        id: 7,
        imsOrgId: tenant.orgId,
        sandboxName: tenant.sandboxName,
        destination: { datasetId: 'ds', segmentPerBatch: false, format: 'json', batchId: 'batch-1' },
        filter: expect.any(Object),
        schema: { name: '_xdm.context.profile' },
        creationTime: 1000,
      },
    });
  });

  it('GIVEN a workflow that refuses the start for good WHEN the job is started THEN the job fails, saying why', async () => {
    const failed: unknown[] = [];
    const outcome = await startExport(
      {
        workflow: { start: async () => Promise.reject(new WorkflowStartRefused('InvalidExecutionInput', 'too big')) },
        store: { fail: async (...args: unknown[]) => Boolean(failed.push(args)) },
        clock: { now: () => 5000 },
      },
      aJob(),
    );
    expect(outcome).toBe('failed');
    expect(failed).toEqual([
      [
        { tenant, id: 7 },
        [{ code: 'InvalidExecutionInput', msg: 'too big', callStack: 'StartExport' }],
        { startTimeInMs: 1000, endTimeInMs: 5000, totalTimeInMs: 4000 },
        5000,
      ],
    ]);
  });

  it('GIVEN a transient start error WHEN the job is started THEN the error is left to the caller to retry and the job is untouched', async () => {
    const failed: unknown[] = [];
    const start = startExport(
      {
        workflow: {
          start: async () => Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })),
        },
        store: { fail: async (...args: unknown[]) => Boolean(failed.push(args)) },
        clock: { now: () => 5000 },
      },
      aJob(),
    );
    await expect(start).rejects.toThrow('slow down');
    expect(failed).toEqual([]);
  });
});

describe('the job ended event', () => {
  it('GIVEN a running job WHEN asked for its event THEN there is none', () => {
    expect(jobEndedDetail({ ...aJob(), status: 'PROCESSING' })).toBeUndefined();
  });

  it('GIVEN a job with one batch per segment WHEN it succeeds THEN its event lists every batch and its counts', () => {
    const job: JobRecord = {
      ...aJob({
        destination: { datasetId: 'ds', segmentPerBatch: true },
        schema: { name: '_xdm.context.profile' },
        filter: { segments: [{ segmentId: 's1' }, { segmentId: 's2' }] },
      }),
      status: 'SUCCEEDED',
      updateTime: 9000,
      metrics: { totalExportedProfileCounter: 12, exportedProfileByNamespaceCounter: { email: 12 } },
    };
    expect(jobEndedDetail(job)).toEqual({
      id: 7,
      imsOrgId: tenant.orgId,
      sandboxName: tenant.sandboxName,
      status: 'SUCCEEDED',
      datasetId: 'ds',
      batchIds: ['batch-1', 'batch-2'],
      totalExportedProfileCounter: 12,
      exportedProfileByNamespaceCounter: { email: 12 },
      errors: [],
      creationTime: 1000,
      endTime: 9000,
    });
  });
});
