import { jobStore } from '../adapters/job-store';
import { requiredEnv } from '../adapters/required-env';
import { ENVIRONMENT } from '../contract/environment';
import { profileShardSource, storeLayouts } from '../adapters/export-workflow-dependencies';
import { WORKFLOW_STATES, type ExportPlanOutput, type PlanExportInput } from '../contract/workflow';
import { planExport } from '../domain/export/plan-export';
import { workflowHandler } from '../workflow/workflow-handler';

const source = profileShardSource();
const layouts = storeLayouts();
const shardsWithoutLayout = Number(requiredEnv(ENVIRONMENT.profileStoreShards));

/** Step "PlanExport": the job becomes PROCESSING, and its shards are listed for the Map state. */
export const handler = workflowHandler(
  WORKFLOW_STATES.planExport,
  (input: PlanExportInput): Promise<ExportPlanOutput> =>
    planExport({ store: jobStore, source, layouts, shardsWithoutLayout }, input, Date.now()),
);
