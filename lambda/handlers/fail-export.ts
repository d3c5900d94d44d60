import { jobStore, systemClock } from '../adapters/job-store';
import { WORKFLOW_STATES, type ExportFailureInput } from '../contract/workflow';
import { failExport, jobErrorOf } from '../domain/export/fail-export';
import { logger } from '../observability/powertools';
import { workflowHandler } from '../workflow/workflow-handler';

/** Step "FailExport": the job ends FAILED, its errors[] saying which step failed and why. */
export const handler = workflowHandler(WORKFLOW_STATES.failExport, async (input: ExportFailureInput) => {
  const failed = await failExport({ store: jobStore, clock: systemClock }, input);
  logger.warn('Export failed', { recorded: failed, error: jobErrorOf(input) });
  return { failed };
});
