import type { ExportExecutionInput, ExportPlanOutput } from '../../contract/workflow';
import { manifestKey } from '../../contract/batch-layout';
import { jobRefOf, type Clock } from '../ports';
import { completeBatch } from '../query/dataset-table';
import type { QueryCatalog } from '../query/query-catalog';
import { batchTargets } from './batch-targets';
import { buildManifest, exportCounters, timing } from './manifest';
import type { ExportJobStore, ManifestStore } from './workflow-ports';

export interface FinalizeDependencies {
  readonly store: ExportJobStore;
  readonly manifests: ManifestStore;
  readonly catalog: QueryCatalog;
  readonly clock: Clock;
}

export type FinalizeOutcome = 'SUCCEEDED' | 'CANCELLED' | 'NOT_RUNNING';

/**
 * After every shard is exported: claim the job (unless a DELETE asked to cancel it, in which
 * case it ends CANCELLED and its batches get no manifest), write each batch's manifest last,
 * then make the batch queryable (a partition of its dataset's table, only once its manifest is
 * written), and mark the job SUCCEEDED with metrics computed from the recorded parts.
 */
export async function finalizeExport(
  { store, manifests, catalog, clock }: FinalizeDependencies,
  input: ExportExecutionInput & { plan: ExportPlanOutput },
): Promise<FinalizeOutcome> {
  const { job } = input;
  const ref = jobRefOf(job);
  const exportEnd = clock.now();
  const claim = await store.claimFinalization(ref, exportEnd);
  if (claim === 'not-running') return 'NOT_RUNNING';
  if (claim === 'cancel-requested') {
    await store.endCancelled(ref, timing(job.creationTime, exportEnd), exportEnd);
    return 'CANCELLED';
  }

  const parts = await store.listParts(ref);
  const writeStart = clock.now();
  for (const { batchId } of batchTargets(job.destination)) {
    const manifest = buildManifest(job, batchId, parts, writeStart);
    await manifests.write(manifestKey(ref.tenant, job.destination.datasetId, batchId), manifest);
    const batch = completeBatch(
      job,
      batchId,
      manifest.parts.map((part) => part.file),
    );
    if ('tableName' in batch) await catalog.register(batch);
    else catalog.skip(batch);
  }
  const end = clock.now();
  await store.complete(
    ref,
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
