import { manifestStore } from '../adapters/export-workflow-dependencies';
import { jobStore, systemClock } from '../adapters/job-store';
import { queryCatalog } from '../adapters/query-catalog';
import { WORKFLOW_STATES, type ExportExecutionInput, type ExportPlanOutput } from '../contract/workflow';
import { finalizeExport } from '../domain/export/finalize-export';
import { logger } from '../observability/powertools';
import { workflowHandler } from '../workflow/workflow-handler';

const manifests = manifestStore();
const catalog = queryCatalog();

/** Step "FinalizeExport": manifests, partitions of the dataset tables, final metrics, SUCCEEDED (or CANCELLED if asked). */
export const handler = workflowHandler(
  WORKFLOW_STATES.finalizeExport,
  async (input: ExportExecutionInput & { plan: ExportPlanOutput }) => {
    const outcome = await finalizeExport({ store: jobStore, manifests, catalog, clock: systemClock }, input);
    logger.info('Export finalized', { outcome });
    return { outcome };
  },
);
