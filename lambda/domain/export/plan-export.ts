import type { ExportPlanOutput, PlanExportInput } from '../../contract/workflow';
import { JobNotRunningError } from '../errors';
import { jobRefOf } from '../ports';
import { planShards } from './plan-shards';
import type { ProfileShardSource, StoreLayouts } from './ports';
import type { ExportJobStore } from './workflow-ports';

export interface PlanExportDependencies {
  readonly store: Pick<ExportJobStore, 'startExport'>;
  readonly source: Pick<ProfileShardSource, 'hasProfiles'>;
  readonly layouts: StoreLayouts;
  /** The bucket count of a tenant that has no store layout (see planShards). */
  readonly shardsWithoutLayout: number;
}

/**
 * The first step of a job's execution: the job moves to PROCESSING (only for its own
 * execution, and only from NEW, or PROCESSING when the step is retried) and the shards that
 * hold profiles are listed. A job cancelled or deleted before this is not run.
 */
export async function planExport(
  { store, source, layouts, shardsWithoutLayout }: PlanExportDependencies,
  input: PlanExportInput,
  startedAt: number,
): Promise<ExportPlanOutput> {
  const job = jobRefOf(input.job);
  if (!(await store.startExport(job, input.executionId, startedAt))) throw new JobNotRunningError(input.job.id);
  const shards = await planShards(layouts, source, job.tenant, shardsWithoutLayout);
  return { shards, startedAt };
}
