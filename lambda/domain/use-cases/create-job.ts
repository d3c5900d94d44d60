import { HEADERS } from '../../contract/headers';
import { JobRecordSchema, type JobRecord } from '../../contract/job-record';
import { orderBySchema } from '../order-by-schema';
import { IdempotencyConflictError, UnprocessableRequestError } from '../errors';
import type { CreateJobCommand } from '../create-job-command';
import { newJob } from '../new-job';
import { isDatasetId } from '../dataset-id';
import { jobDatasetFormat } from '../job-dataset';
import type { Clock, DatasetRepository, ExportWorkflow, JobRepository } from '../ports';
import type { Tenant } from '../../contract/tenant';
import { checkEvaluatedSegments } from '../config/evaluated-segments';
import type { SegmentDefinitionRepository } from '../config/ports';
import type { ResolvedMergePolicy } from '../config/merge-policies';

export interface CreateJobDependencies {
  readonly repository: JobRepository;
  /** The tenant's datasets: the job's dataset is read (one GetItem) before anything is written. */
  readonly datasets: Pick<DatasetRepository, 'get'>;
  readonly clock: Clock;
  readonly newBatchId: () => string;
  readonly workflow: Pick<ExportWorkflow, 'executionIdFor'>;
  /**
   * The merge policy a job records: the one it names, checked against the tenant's policies
   * (UnprocessableRequestError otherwise), or the tenant's default (see resolveJobMergePolicy),
   * with its rule as of that version.
   */
  readonly resolveMergePolicy: (
    tenant: Tenant,
    schemaName: string,
    requested: CreateJobCommand['mergePolicy'],
  ) => Promise<ResolvedMergePolicy>;
  /** The tenant's segment definitions: a job evaluating segments at export needs one per listed segment. */
  readonly segmentDefinitions: Pick<SegmentDefinitionRepository, 'get'>;
}

export interface CreateJobInput {
  readonly tenant: Tenant;
  readonly profileInstanceId: string;
  readonly requestId: string;
  readonly command: CreateJobCommand;
}

/**
 * POST /export/jobs: a NEW job with a fresh id, its batches and its execution assigned, in the
 * file format of its dataset (a job that does not fit its dataset is refused, no id taken).
 */
export async function createJob(dependencies: CreateJobDependencies, input: CreateJobInput): Promise<JobRecord> {
  const { repository, clock, newBatchId, workflow } = dependencies;
  const { datasetId } = input.command.destination;
  // Before an id is taken, so a refused job leaves no gap in the ids; the dataset's, the merge
  // policy's and the segment definitions' problems are listed together.
  const [format, { attributeMerge, ...mergePolicy }] = await everyUnprocessableProblem(
    async () =>
      jobDatasetFormat(
        input.command,
        isDatasetId(datasetId) ? await dependencies.datasets.get(input.tenant, datasetId) : undefined,
      ),
    () => dependencies.resolveMergePolicy(input.tenant, input.command.schema.name, input.command.mergePolicy),
    () => checkEvaluatedSegments(dependencies.segmentDefinitions, input.tenant, input.command),
  );
  const id = await repository.nextJobId(input.tenant);
  const now = clock.now();
  const job = newJob(input.command, {
    id,
    tenant: input.tenant,
    profileInstanceId: input.profileInstanceId,
    format,
    requestId: input.requestId,
    now,
    mergePolicy,
    newBatchId,
    // The job table's stream starts this execution once the job is stored.
    executionId: workflow.executionIdFor(input.tenant, id, now),
  });
  // The rule is stored with the job, not shown: the export applies it, whatever the policy
  // becomes after (a PATCH bumps its version; the job keeps the version it recorded).
  await repository.insert({ ...job, attributeMerge });
  return job;
}

/** Runs every check; when any refuses the job, one error lists the problems of all of them. */
async function everyUnprocessableProblem<T extends unknown[]>(
  ...checks: { [K in keyof T]: () => Promise<T[K]> }
): Promise<T> {
  const results = await Promise.allSettled(checks.map((check) => check()));
  const refusals = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  const unexpected = refusals.find((reason) => !(reason instanceof UnprocessableRequestError));
  if (unexpected) throw unexpected;
  if (refusals.length === 1) throw refusals[0];
  if (refusals.length > 1) {
    throw new UnprocessableRequestError(
      'The job does not fit its destination dataset, its merge policy or its segment definitions.',
      refusals.flatMap((reason) => (reason as UnprocessableRequestError).errors),
    );
  }
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

/**
 * A retry with an Idempotency-Key gets the job its first request created, as that request's
 * response had it — unless the job has since been deleted. A client retries because it never
 * saw the first response; handing it a job that then answers 404 would send it polling a ghost,
 * and creating a second job would run the export twice. So the answer is a 409 that names the
 * deleted job: the client learns what happened, and a new key creates another job if wanted.
 */
export async function replayedJob(
  repository: Pick<JobRepository, 'get'>,
  tenant: Tenant,
  job: JobRecord,
): Promise<JobRecord> {
  // The stored response comes back with its keys sorted: give it the documented order again.
  if (await repository.get(tenant, job.id)) return orderBySchema(JobRecordSchema, job) as unknown as JobRecord;
  throw new IdempotencyConflictError(
    `The job this Idempotency-Key created (${job.id}) has been deleted; send a new key to create another job.`,
    [
      {
        path: `/${HEADERS.idempotencyKey}`,
        code: 'job_deleted',
        message: `created job ${job.id}, which has since been deleted`,
      },
    ],
  );
}
