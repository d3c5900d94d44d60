import { jobStore, systemClock } from '../adapters/job-store';
import { StepFunctionsExportWorkflow } from '../adapters/step-functions-workflow';
import { parseJobId } from '../domain/job-id';
import { deleteJob } from '../domain/use-cases/delete-job';
import { httpHandler } from '../http/http-handler';
import { noContent } from '../http/http-response';
import { logger } from '../observability/powertools';
import { authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';

const workflow = new StepFunctionsExportWorkflow();

/** DELETE /export/jobs/{id} */
export const handler = httpHandler('deleteJob', async (request) => {
  const [tenant, id] = validateAll(
    () => authorizedTenant(request),
    () => parseJobId(request.pathParameters.id),
  );
  const { action, job } = await deleteJob({ repository: jobStore, clock: systemClock, workflow }, tenant, id);
  logger.info('Job deleted', { jobId: id, action, statusBefore: job.status });
  return noContent();
});
