import { toCreateJobCommand } from '../../lambda/domain/create-job-command';
import {
  IdempotencyConflictError,
  JobFinishingError,
  JobNotFoundError,
  UnprocessableRequestError,
} from '../../lambda/domain/errors';
import { createJob, replayedJob } from '../../lambda/domain/use-cases/create-job';
import { deleteJob } from '../../lambda/domain/use-cases/delete-job';
import { getJob } from '../../lambda/domain/use-cases/get-job';
import { listJobs } from '../../lambda/domain/use-cases/list-jobs';
import { InMemoryDatasetRepository, profileDataset } from './support/in-memory-dataset-repository';
import type { Tenant } from '../../lambda/contract/tenant';
import { createMergePolicy, resolveJobMergePolicy, updateMergePolicy } from '../../lambda/domain/config/merge-policies';
import { compileExportPlan } from '../../lambda/domain/export/export-plan';
import { executionInputOf } from '../../lambda/domain/export/start-export';
import { InMemoryMergePolicies, InMemorySegmentDefinitions } from './support/in-memory-config-store';
import { InMemoryJobRepository } from './support/in-memory-job-repository';

const tenant = { orgId: 'org-a@AdobeOrg', sandboxName: 'prod' };
const otherTenant = { orgId: 'org-b@AdobeOrg', sandboxName: 'prod' };
/** A dataset both tenants have (of the profile schema, Parquet). */
const DATASET_ID = '5b7c86968f7b6501e21ba9df';

function setup() {
  const repository = new InMemoryJobRepository();
  const datasets = new InMemoryDatasetRepository();
  for (const owner of [tenant, otherTenant])
    void datasets.insert(owner, { id: DATASET_ID, dataset: profileDataset(owner) });
  let now = 1_700_000_000_000;
  let batch = 0;
  const stopped: string[] = [];
  const workflow = {
    executionIdFor: (forTenant: { orgId: string }, id: number) => `arn:execution:${forTenant.orgId}:${id}`,
    stop: async (executionId: string) => {
      stopped.push(executionId);
    },
  };
  const segmentDefinitions = new InMemorySegmentDefinitions();
  const mergePolicies = {
    policies: new InMemoryMergePolicies(),
    clock: { now: () => now },
    newId: () => 'unused',
    builtIn: { id: 'default-mp', version: 1 },
  };
  const dependencies = {
    repository,
    datasets,
    clock: { now: () => now++ },
    newBatchId: () => `batch-${++batch}`,
    workflow,
    resolveMergePolicy: (forTenant: Tenant, schemaName: string, requested?: { id: string; version?: number }) =>
      resolveJobMergePolicy(mergePolicies, forTenant, schemaName, requested),
    segmentDefinitions,
  };
  const create = (body: unknown, forTenant = tenant) =>
    createJob(dependencies, {
      tenant: forTenant,
      profileInstanceId: 'ups',
      requestId: 'req-1',
      command: toCreateJobCommand(body),
    });
  return { repository, dependencies, create, stopped, mergePolicies, segmentDefinitions };
}

const body = { destination: { datasetId: DATASET_ID }, schema: { name: '_xdm.context.profile' } };

describe('create job', () => {
  it('creates a NEW job with an id unique in its tenant and a batch', async () => {
    const { create } = setup();
    const first = await create(body);
    const second = await create(body);
    const elsewhere = await create(body, otherTenant);
    expect([first.id, second.id, elsewhere.id]).toEqual([1, 2, 1]);
    expect(first).toMatchObject({
      status: 'NEW',
      jobType: 'BATCH',
      imsOrgId: 'org-a@AdobeOrg',
      sandboxName: 'prod',
      destination: { datasetId: DATASET_ID, segmentPerBatch: false, batchId: 'batch-1' },
      mergePolicy: { id: 'default-mp', version: 1 },
      profileInstanceId: 'ups',
      requestId: 'req-1',
      errors: [],
      computeGatewayJobId: { exportJob: 'arn:execution:org-a@AdobeOrg:1' },
    });
    expect(first.metrics.totalTime?.startTimeInMs).toBe(first.creationTime);
  });

  it('GIVEN a dataSetPrecedence policy WHEN a job names it THEN the job stores the rule of that version beside its record, and a later change of the policy leaves it', async () => {
    const { create, repository, mergePolicies } = setup();
    const policy = await createMergePolicy(mergePolicies, tenant, {
      name: 'CRM first',
      schema: { name: '_xdm.context.profile' },
      attributeMerge: { type: 'dataSetPrecedence', order: ['crm', 'web'] },
    });
    const job = await create({ ...body, mergePolicy: { id: policy.id } });
    await updateMergePolicy(mergePolicies, tenant, policy.id, { attributeMerge: { type: 'timestampOrdered' } });

    expect(job.mergePolicy).toEqual({ id: policy.id, version: 1 });
    expect(job).not.toHaveProperty('attributeMerge');
    expect(await repository.get(tenant, job.id)).not.toHaveProperty('attributeMerge');
    const settings = repository.settingsOf(tenant, job.id);
    expect(settings).toEqual({ attributeMerge: { type: 'dataSetPrecedence', order: ['crm', 'web'] } });
    // What the workflow's execution carries: the rule of version 1.
    expect(executionInputOf({ ...job, ...settings }).job.attributeMerge).toEqual({
      type: 'dataSetPrecedence',
      order: ['crm', 'web'],
    });
  });

  it('GIVEN a job of before merge policies took effect (no rule stored) WHEN its execution is built THEN it carries none, and its export merges timestampOrdered', () => {
    const input = executionInputOf({
      id: 1,
      jobType: 'BATCH',
      destination: { datasetId: DATASET_ID, segmentPerBatch: false, batchId: 'b' },
      schema: { name: '_xdm.context.profile' },
      imsOrgId: tenant.orgId,
      sandboxName: tenant.sandboxName,
      status: 'NEW',
      filter: { emptyProfiles: false },
      mergePolicy: { id: 'default-mp', version: 1 },
      evaluationInfo: { segmentation: false },
      profileInstanceId: 'ups',
      errors: [],
      metrics: {},
      computeGatewayJobId: { exportJob: '' },
      creationTime: 1,
      updateTime: 1,
      requestId: 'r',
    });
    expect(input.job).not.toHaveProperty('attributeMerge');
    expect(compileExportPlan(input.job).attributeMerge).toEqual({ type: 'timestampOrdered' });
  });

  it('assigns one batch per segment when segmentPerBatch is true', async () => {
    const { create } = setup();
    const job = await create({
      ...body,
      filter: {
        segments: [
          { segmentId: 's1', segmentNs: 'ups' },
          { segmentId: 's2', status: ['exited'] },
        ],
      },
      destination: { datasetId: DATASET_ID, segmentPerBatch: true },
    });
    expect(job.destination).toEqual({
      datasetId: DATASET_ID,
      segmentPerBatch: true,
      format: 'parquet',
      batches: [
        { segmentId: 's1', segmentNs: 'ups', status: ['realized'], batchId: 'batch-1' },
        { segmentId: 's2', status: ['exited'], batchId: 'batch-2' },
      ],
    });
  });
});

describe('create job evaluating segments at export', () => {
  const definition = (id: string) => ({
    id,
    name: id,
    schema: { name: '_xdm.context.profile' },
    expression: { type: 'PQL', format: 'pql/text', value: 'loyalty.tier = "gold"' },
    mergePolicyId: 'default-mp',
    creationTime: 1,
    updateTime: 1,
  });
  const evaluating = (segments?: unknown[], extra: Record<string, unknown> = {}) => ({
    ...body,
    ...(segments && { filter: { segments } }),
    evaluationInfo: { segmentation: true },
    ...extra,
  });

  it('GIVEN every listed segment has a definition WHEN the job is created THEN it records segmentation true', async () => {
    const { create, segmentDefinitions } = setup();
    await segmentDefinitions.create(tenant, definition('s1'));
    const job = await create(evaluating([{ segmentId: 's1' }, { segmentId: 's1', segmentNs: 'ups' }]));
    expect(job.evaluationInfo).toEqual({ segmentation: true });
  });

  it('GIVEN listed segments without a definition (or with one of another tenant) WHEN created THEN 422 names each of them and no id is taken', async () => {
    const { create, segmentDefinitions, repository } = setup();
    await segmentDefinitions.create(tenant, definition('s1'));
    await segmentDefinitions.create(otherTenant, definition('s3'));
    const refused = create(evaluating([{ segmentId: 's2' }, { segmentId: 's1' }, { segmentId: 's3' }]));
    await expect(refused).rejects.toBeInstanceOf(UnprocessableRequestError);
    await expect(refused).rejects.toMatchObject({
      errors: [
        expect.objectContaining({ path: '/filter/segments/0/segmentId', code: 'not_found' }),
        expect.objectContaining({ path: '/filter/segments/2/segmentId', code: 'not_found' }),
      ],
    });
    expect(await repository.nextJobId(tenant)).toBe(1);
  });

  it('GIVEN no listed segments WHEN segmentation is asked THEN 422 on /filter/segments', async () => {
    const { create } = setup();
    await expect(create(evaluating())).rejects.toMatchObject({
      errors: [expect.objectContaining({ path: '/filter/segments', code: 'requires' })],
    });
  });

  it('GIVEN a missing definition and an unknown merge policy WHEN created THEN one 422 lists both', async () => {
    const { create } = setup();
    const refused = create(evaluating([{ segmentId: 's9' }], { mergePolicy: { id: 'nope' } }));
    await expect(refused).rejects.toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({ path: '/mergePolicy/id' }),
        expect.objectContaining({ path: '/filter/segments/0/segmentId' }),
      ]),
    });
  });
});

describe('get job', () => {
  it("does not find another tenant's job", async () => {
    const { repository, create } = setup();
    const job = await create(body);
    await expect(getJob(repository, tenant, job.id)).resolves.toEqual(job);
    await expect(getJob(repository, otherTenant, job.id)).rejects.toBeInstanceOf(JobNotFoundError);
  });
});

describe('list jobs', () => {
  it('returns a page newest first and a link that keeps limit and status', async () => {
    const { repository, create } = setup();
    for (let i = 0; i < 5; i++) await create(body);
    const page = await listJobs(
      repository,
      tenant,
      {
        limit: 2,
        status: 'NEW',
        carried: [
          ['limit', '2'],
          ['status', 'NEW'],
        ],
      },
      '/export/jobs',
    );
    expect(page.records.map((job) => job.id)).toEqual([5, 4]);
    const last = page.records[1];
    expect(page.page).toEqual({
      sortField: 'createdTime',
      sort: 'desc',
      pageOffset: `${last.creationTime}_4`,
      pageSize: 2,
    });
    expect(page.link.next).toBe(`/export/jobs?limit=2&status=NEW&offset=${last.creationTime}_4`);
  });

  it('GIVEN a page requested under a stage and a base path, with a trailing slash WHEN there is more THEN link.next is that same path with the next query', async () => {
    const { repository, create } = setup();
    for (let i = 0; i < 3; i++) await create(body);
    const page = await listJobs(
      repository,
      tenant,
      { limit: 1, carried: [['limit', '1']] },
      '/v1/data/core/ups/export/jobs/',
    );
    expect(page.link.next).toBe(`/v1/data/core/ups/export/jobs/?limit=1&offset=${page.page.pageOffset}`);
  });

  it('has an empty next link on the last page and an empty offset on an empty page', async () => {
    const { repository, create } = setup();
    await create(body);
    const last = await listJobs(repository, tenant, { limit: 1, carried: [] }, '/export/jobs');
    expect(last.link.next).toBe('');
    const empty = await listJobs(repository, otherTenant, { limit: 20, carried: [] }, '/export/jobs');
    expect(empty).toEqual({
      records: [],
      page: { sortField: 'createdTime', sort: 'desc', pageOffset: '', pageSize: 0 },
      link: { next: '' },
    });
  });
});

describe('delete job', () => {
  it('cancels a NEW job at once, then removes it once it is finished', async () => {
    const { repository, dependencies, create } = setup();
    const job = await create(body);
    await expect(deleteJob(dependencies, tenant, job.id)).resolves.toMatchObject({ action: 'cancel' });
    expect((await repository.get(tenant, job.id))?.status).toBe('CANCELLED');
    await expect(deleteJob(dependencies, tenant, job.id)).resolves.toMatchObject({ action: 'remove' });
    expect(await repository.get(tenant, job.id)).toBeUndefined();
    await expect(deleteJob(dependencies, tenant, job.id)).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('marks a PROCESSING job for cancelling, stops its execution and ends it CANCELLED', async () => {
    const { repository, dependencies, create, stopped } = setup();
    const job = await create(body);
    repository.setStatus(tenant, job.id, 'PROCESSING');
    await expect(deleteJob(dependencies, tenant, job.id)).resolves.toMatchObject({ action: 'request-cancel' });
    expect(stopped).toEqual([job.computeGatewayJobId.exportJob]);
    const after = await repository.get(tenant, job.id);
    expect(after?.status).toBe('CANCELLED');
    expect(after?.metrics.totalTime).toEqual({
      startTimeInMs: job.creationTime,
      endTimeInMs: expect.any(Number),
      totalTimeInMs: expect.any(Number),
    });
  });

  it('keeps the cancel mark when stopping the execution fails, so the workflow ends the job CANCELLED', async () => {
    const { repository, dependencies, create } = setup();
    const job = await create(body);
    repository.setStatus(tenant, job.id, 'PROCESSING');
    const failing = { ...dependencies, workflow: { stop: () => Promise.reject(new Error('Step Functions is down')) } };
    await expect(deleteJob(failing, tenant, job.id)).rejects.toThrow('Step Functions is down');
    expect((await repository.get(tenant, job.id))?.status).toBe('PROCESSING');
    expect(repository.marksOf(tenant, job.id).cancelRequestedAt).toBeDefined();
  });

  it('answers 409 when the workflow is already writing the manifests', async () => {
    const { repository, dependencies, create, stopped } = setup();
    const job = await create(body);
    repository.setStatus(tenant, job.id, 'PROCESSING');
    repository.claimFinalization(tenant, job.id);
    await expect(deleteJob(dependencies, tenant, job.id)).rejects.toBeInstanceOf(JobFinishingError);
    expect(stopped).toEqual([]);
    expect((await repository.get(tenant, job.id))?.status).toBe('PROCESSING');
  });

  it('decides again when the job moved between its read and the conditional write', async () => {
    // GIVEN a PROCESSING job that its workflow finishes right after DELETE has read it
    const { repository, dependencies, create } = setup();
    const job = await create(body);
    repository.setStatus(tenant, job.id, 'PROCESSING');
    repository.beforeWrite = (current) => {
      if (current.status === 'PROCESSING') current.status = 'SUCCEEDED';
    };
    // WHEN it is deleted
    const outcome = await deleteJob(dependencies, tenant, job.id);
    // THEN the cancel mark did not apply, and the finished job was removed instead
    expect(outcome.action).toBe('remove');
    expect(await repository.get(tenant, job.id)).toBeUndefined();
  });

  it("cannot touch another tenant's job", async () => {
    const { dependencies, create } = setup();
    const job = await create(body);
    await expect(deleteJob(dependencies, otherTenant, job.id)).rejects.toBeInstanceOf(JobNotFoundError);
  });
});

describe('replaying an Idempotency-Key', () => {
  it('GIVEN the job the key created still exists (even cancelled) WHEN replayed THEN the first response comes back in the documented order', async () => {
    const { repository, dependencies, create } = setup();
    const job = await create(body);
    await deleteJob(dependencies, tenant, job.id);
    const stored = Object.fromEntries(Object.entries(job).sort(([a], [b]) => a.localeCompare(b))) as typeof job;
    const replayed = await replayedJob(repository, tenant, stored);
    expect(replayed).toEqual(job);
    expect(Object.keys(replayed)).toEqual(Object.keys(job));
  });

  it('GIVEN the job the key created was deleted WHEN replayed THEN it is a conflict naming the job', async () => {
    const { repository, dependencies, create } = setup();
    const job = await create(body);
    repository.setStatus(tenant, job.id, 'SUCCEEDED');
    await deleteJob(dependencies, tenant, job.id);
    const replay = replayedJob(repository, tenant, job);
    await expect(replay).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(replay).rejects.toMatchObject({
      errors: [
        {
          path: '/idempotency-key',
          code: 'job_deleted',
          message: `created job ${job.id}, which has since been deleted`,
        },
      ],
    });
  });
});
