import type { JobRecord } from '../../contract/job-record';
import { JobNotFoundError } from '../errors';
import type { JobRepository } from '../ports';
import type { Tenant } from '../../contract/tenant';

export async function getJob(repository: JobRepository, tenant: Tenant, id: number): Promise<JobRecord> {
  const job = await repository.get(tenant, id);
  if (!job) throw new JobNotFoundError(id);
  return job;
}
