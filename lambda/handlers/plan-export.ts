import { exportJobStore, profileShardSource } from '../adapters/export-workflow-dependencies';
import type { ExportExecutionInput, ExportPlanOutput } from '../contract/workflow';
import { planShards } from '../domain/export/plan-shards';
import { JobNotRunningError } from '../workflow/workflow-errors';
import { workflowHandler } from '../workflow/workflow-handler';

const source = profileShardSource();

/**
 * Step "PlanExport": records when the export started and lists the shards (the tenant's hash
 * buckets that hold profiles) for the Map state to fan out over.
 */
export const handler = workflowHandler('PlanExport', async (input: ExportExecutionInput): Promise<ExportPlanOutput> => {
  const startedAt = Date.now();
  if (!(await exportJobStore.startExport(input.keys, startedAt))) throw new JobNotRunningError(input.job.id);
  const shards = await planShards(source, { orgId: input.job.imsOrgId, sandboxName: input.job.sandboxName });
  return { shards, startedAt };
});
