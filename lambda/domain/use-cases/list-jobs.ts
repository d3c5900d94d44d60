import type { JobList } from '../../contract/job-record';
import { MAX_PAGE_BYTES } from '../../contract/list-jobs-query';
import { encodeCursor } from '../cursor';
import { withinBudget } from '../page-budget';
import type { JobRepository } from '../ports';
import type { ListJobsParameters } from '../list-jobs-query';
import type { Tenant } from '../../contract/tenant';

/**
 * A page of the tenant's jobs, newest first, with the link to the next page. `listPath` is the
 * path the client requested this page at (with the stage, or a custom domain's base path, and
 * the routes' base path): `link.next` is that path with the next page's query, so a client
 * resolving it against the URL it called reaches the next page wherever the API is mounted.
 */
export async function listJobs(
  repository: JobRepository,
  tenant: Tenant,
  parameters: ListJobsParameters,
  listPath: string,
): Promise<JobList> {
  const page = await repository.listPage(tenant, { ...parameters, maxBytes: MAX_PAGE_BYTES });
  // A page of large jobs stops before the Lambda and API Gateway payload limits; the rest
  // follow through link.next.
  const jobs = withinBudget(page.jobs, MAX_PAGE_BYTES);
  const hasMore = page.hasMore || jobs.length < page.jobs.length;
  const last = jobs[jobs.length - 1];
  const pageOffset = last ? encodeCursor(last) : '';
  const next =
    hasMore && last ? `${listPath}?${new URLSearchParams([...parameters.carried, ['offset', pageOffset]])}` : '';
  return {
    records: jobs,
    page: { sortField: 'createdTime', sort: 'desc', pageOffset, pageSize: jobs.length },
    link: { next },
  };
}
