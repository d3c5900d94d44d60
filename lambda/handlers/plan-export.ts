import { exportJobStore } from '../adapters/export-workflow-dependencies';
import { PROFILE_STORE } from '../contract/profile-store';
import type { ExportExecutionInput, ExportPlanOutput } from '../contract/workflow';
import { JobNotRunningError } from '../workflow/workflow-errors';
import { workflowHandler } from '../workflow/workflow-handler';

/**
 * Step "PlanExport": records when the export started and lists the shards, one per hash
 * bucket of the profile store, for the Map state to fan out over.
 */
export const handler = workflowHandler('PlanExport', async (input: ExportExecutionInput): Promise<ExportPlanOutput> => {
  const startedAt = Date.now();
  if (!(await exportJobStore.startExport(input.keys, startedAt))) throw new JobNotRunningError(input.job.id);
  return { shards: Array.from({ length: PROFILE_STORE.buckets }, (_, bucket) => bucket), startedAt };
});
