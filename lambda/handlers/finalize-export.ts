import { exportJobStore, manifestStore } from '../adapters/export-workflow-dependencies';
import { systemClock } from '../adapters/job-repository';
import type { ExportExecutionInput, ExportPlanOutput } from '../contract/workflow';
import { finalizeExport } from '../domain/export/finalize-export';
import { logger } from '../http/observability';
import { workflowHandler } from '../workflow/workflow-handler';

const manifests = manifestStore();

/** Step "FinalizeExport": manifests, final metrics, SUCCEEDED (or CANCELLED if asked). */
export const handler = workflowHandler(
  'FinalizeExport',
  async (input: ExportExecutionInput & { plan: ExportPlanOutput }) => {
    const outcome = await finalizeExport({ store: exportJobStore, manifests, clock: systemClock }, input);
    logger.info('Export finalized', { outcome });
    return { outcome };
  },
);
