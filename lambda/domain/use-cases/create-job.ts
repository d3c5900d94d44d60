import type { JobRecord } from '../../contract/job-record';
import type { CreateJobCommand } from '../create-job-command';
import { newJob } from '../new-job';
import type { Clock, ExportWorkflow, JobRepository } from '../ports';
import type { Tenant } from '../../contract/tenant';

export interface CreateJobDependencies {
  readonly repository: JobRepository;
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

/** POST /export/jobs: a NEW job with a fresh id, its batches and its execution assigned. */
export async function createJob(dependencies: CreateJobDependencies, input: CreateJobInput): Promise<JobRecord> {
  const { repository, clock, newBatchId, workflow } = dependencies;
  const id = await repository.nextJobId(input.tenant);
  const now = clock.now();
  const job = newJob(input.command, {
    id,
    tenant: input.tenant,
    profileInstanceId: input.profileInstanceId,
    requestId: input.requestId,
    now,
    newBatchId,
    // The job table's stream starts this execution once the job is stored.
    executionId: workflow.executionIdFor(input.tenant, id, now),
  });
  await repository.insert(job);
  return job;
}
