import { jobStore } from '../adapters/job-store';
import { profileShardSource } from '../adapters/export-workflow-dependencies';
import { WORKFLOW_STATES, type ExportPlanOutput, type PlanExportInput } from '../contract/workflow';
import { planExport } from '../domain/export/plan-export';
import { workflowHandler } from '../workflow/workflow-handler';

const source = profileShardSource();

/** Step "PlanExport": the job becomes PROCESSING, and its shards are listed for the Map state. */
export const handler = workflowHandler(
  WORKFLOW_STATES.planExport,
  (input: PlanExportInput): Promise<ExportPlanOutput> => planExport({ store: jobStore, source }, input, Date.now()),
);
