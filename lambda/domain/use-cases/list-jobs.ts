import type { JobList } from '../../contract/job-record';
import { JOBS_PATH } from '../../contract/operations';
import { MAX_PAGE_BYTES } from '../../contract/list-jobs-query';
import { encodeCursor } from '../cursor';
import { withinBudget } from '../page-budget';
import type { JobRepository } from '../ports';
import type { ListJobsParameters } from '../list-jobs-query';
import type { Tenant } from '../../contract/tenant';

/** A page of the tenant's jobs, newest first, with the link to the next page. */
export async function listJobs(
  repository: JobRepository,
  tenant: Tenant,
  parameters: ListJobsParameters,
): Promise<JobList> {
  const page = await repository.listPage(tenant, { ...parameters, maxBytes: MAX_PAGE_BYTES });
  // A page of large jobs stops before the Lambda and API Gateway payload limits; the rest
  // follow through link.next.
  const jobs = withinBudget(page.jobs, MAX_PAGE_BYTES);
  const hasMore = page.hasMore || jobs.length < page.jobs.length;
  const last = jobs[jobs.length - 1];
  const pageOffset = last ? encodeCursor(last) : '';
  const next =
    hasMore && last ? `${JOBS_PATH}?${new URLSearchParams([...parameters.carried, ['offset', pageOffset]])}` : '';
  return {
    records: jobs,
    page: { sortField: 'createdTime', sort: 'desc', pageOffset, pageSize: jobs.length },
    link: { next },
  };
}
