import { jobStore } from '../adapters/job-store';
import { parseJobId } from '../domain/job-id';
import { getJob } from '../domain/use-cases/get-job';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/http-response';
import { authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';

/** GET /export/jobs/{id} */
export const handler = httpHandler('getJob', async (request) => {
  const [tenant, id] = validateAll(
    () => authorizedTenant(request),
    () => parseJobId(request.pathParameters.id),
  );
  return json(200, await getJob(jobStore, tenant, id));
});
