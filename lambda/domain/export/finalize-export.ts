import type { ExportExecutionInput, ExportPlanOutput } from '../../contract/workflow';
import type { Clock } from '../ports';
import { batchPrefix, batchTargets, MANIFEST_FILE_NAME } from './batch-layout';
import { buildManifest, exportCounters, timing } from './manifest';
import type { ExportJobStore, ManifestStore } from './workflow-ports';

export interface FinalizeDependencies {
  readonly store: ExportJobStore;
  readonly manifests: ManifestStore;
  readonly clock: Clock;
}

export type FinalizeOutcome = 'SUCCEEDED' | 'CANCELLED' | 'NOT_RUNNING';

/**
 * After every shard is exported: claim the job (unless a DELETE asked to cancel it, in which
 * case it ends CANCELLED and its batches get no manifest), write each batch's manifest last,
 * and mark the job SUCCEEDED with metrics computed from the recorded parts.
 */
export async function finalizeExport(
  { store, manifests, clock }: FinalizeDependencies,
  input: ExportExecutionInput & { plan: ExportPlanOutput },
): Promise<FinalizeOutcome> {
  const { job, keys } = input;
  const exportEnd = clock.now();
  const claim = await store.claimFinalization(keys, exportEnd);
  if (claim === 'not-running') return 'NOT_RUNNING';
  if (claim === 'cancel-requested') {
    await store.cancel(keys, timing(job.creationTime, exportEnd), exportEnd);
    return 'CANCELLED';
  }

  const parts = await store.listParts(keys);
  const tenant = { orgId: job.imsOrgId, sandboxName: job.sandboxName };
  const writeStart = clock.now();
  for (const { batchId } of batchTargets(job.destination)) {
    const manifest = buildManifest(job, batchId, parts, writeStart);
    await manifests.write(`${batchPrefix(tenant, job.destination.datasetId, batchId)}${MANIFEST_FILE_NAME}`, manifest);
  }
  const end = clock.now();
  await store.complete(
    keys,
    {
      totalTime: timing(job.creationTime, end),
      profileExportTime: timing(input.plan.startedAt, exportEnd),
      aCPDatasetWriteTime: timing(writeStart, end),
      ...exportCounters(parts),
    },
    end,
  );
  return 'SUCCEEDED';
}
