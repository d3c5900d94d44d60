import { manifestStore } from '../adapters/export-workflow-dependencies';
import { jobStore, systemClock } from '../adapters/job-store';
import { WORKFLOW_STATES, type ExportExecutionInput, type ExportPlanOutput } from '../contract/workflow';
import { finalizeExport } from '../domain/export/finalize-export';
import { logger } from '../observability/powertools';
import { workflowHandler } from '../workflow/workflow-handler';

const manifests = manifestStore();

/** Step "FinalizeExport": manifests, final metrics, SUCCEEDED (or CANCELLED if asked). */
export const handler = workflowHandler(
  WORKFLOW_STATES.finalizeExport,
  async (input: ExportExecutionInput & { plan: ExportPlanOutput }) => {
    const outcome = await finalizeExport({ store: jobStore, manifests, clock: systemClock }, input);
    logger.info('Export finalized', { outcome });
    return { outcome };
  },
);
