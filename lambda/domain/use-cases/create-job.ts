import type { JobRecord } from '../../contract/job-record';
import type { CreateJobCommand } from '../create-job-command';
import { newJob } from '../new-job';
import type { Clock, JobRepository } from '../ports';
import type { Tenant } from '../tenant';

export interface CreateJobDependencies {
  readonly repository: JobRepository;
  readonly clock: Clock;
  readonly newBatchId: () => string;
}

export interface CreateJobInput {
  readonly tenant: Tenant;
  readonly profileInstanceId: string;
  readonly requestId: string;
  readonly command: CreateJobCommand;
}

/** POST /export/jobs: a NEW job with a fresh id and its batches assigned. */
export async function createJob(dependencies: CreateJobDependencies, input: CreateJobInput): Promise<JobRecord> {
  const { repository, clock, newBatchId } = dependencies;
  const id = await repository.nextJobId(input.tenant);
  const job = newJob(input.command, {
    id,
    tenant: input.tenant,
    profileInstanceId: input.profileInstanceId,
    requestId: input.requestId,
    now: clock.now(),
    newBatchId,
    executionId: '',
  });
  await repository.insert(job);
  return job;
}
