import { HEADERS } from '../../contract/headers';
import { JobRecordSchema, type JobRecord } from '../../contract/job-record';
import { orderBySchema } from '../order-by-schema';
import { IdempotencyConflictError } from '../errors';
import type { CreateJobCommand } from '../create-job-command';
import { newJob } from '../new-job';
import { jobDatasetFormat } from '../job-dataset';
import type { Clock, DatasetRepository, ExportWorkflow, JobRepository } from '../ports';
import type { Tenant } from '../../contract/tenant';

export interface CreateJobDependencies {
  readonly repository: JobRepository;
  /** The tenant's datasets: the job's dataset is read (one GetItem) before anything is written. */
  readonly datasets: Pick<DatasetRepository, 'get'>;
  readonly clock: Clock;
  readonly newBatchId: () => string;
  readonly workflow: Pick<ExportWorkflow, 'executionIdFor'>;
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
  const format = jobDatasetFormat(
    input.command,
    await dependencies.datasets.get(input.tenant, input.command.destination.datasetId),
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
    newBatchId,
    // The job table's stream starts this execution once the job is stored.
    executionId: workflow.executionIdFor(input.tenant, id, now),
  });
  await repository.insert(job);
  return job;
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
