import { jobStore } from '../adapters/job-store';
import { parseListJobsQuery } from '../domain/list-jobs-query';
import { listJobs } from '../domain/use-cases/list-jobs';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/http-response';
import { authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';

/** GET /export/jobs */
export const handler = httpHandler('listJobs', async (request) => {
  const [tenant, parameters] = validateAll(
    () => authorizedTenant(request),
    () => parseListJobsQuery(request.query),
  );
  return json(200, await listJobs(jobStore, tenant, parameters, request.clientPath));
});
