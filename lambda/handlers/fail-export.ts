import { exportJobStore } from '../adapters/export-workflow-dependencies';
import { systemClock } from '../adapters/job-repository';
import type { ExportFailureInput } from '../contract/workflow';
import { failExport, jobErrorOf } from '../domain/export/fail-export';
import { logger } from '../http/observability';
import { workflowHandler } from '../workflow/workflow-handler';

/** Step "FailExport": the job ends FAILED, its errors[] saying which step failed and why. */
export const handler = workflowHandler('FailExport', async (input: ExportFailureInput) => {
  const failed = await failExport({ store: exportJobStore, clock: systemClock }, input);
  logger.warn('Export failed', { recorded: failed, error: jobErrorOf(input) });
  return { failed };
});
