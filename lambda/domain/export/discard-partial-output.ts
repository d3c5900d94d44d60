import { batchPrefix } from '../../contract/batch-layout';
import { batchPartitionPrefix } from '../../contract/query-catalog';
import type { JobStatus } from '../../contract/job-lifecycle';
import type { JobRecord } from '../../contract/job-record';
import { batchIdsOf } from './batch-targets';

/** The outcomes whose batches are never complete: what their workers wrote is deleted. */
const ABANDONED_OUTCOMES: readonly JobStatus[] = ['FAILED', 'CANCELLED'];

/** Where a job's batch folders are kept (the export bucket). */
export interface BatchFolders {
  /** Deletes every object under `prefix`; returns how many there were. */
  deleteAll(prefix: string): Promise<number>;
}

/**
 * A job that ended FAILED or CANCELLED leaves no output: the part files its workers wrote
 * (and a manifest, should a failure have come after the finalizer wrote one) are deleted, so
 * a half-written batch is never mistaken for data. So is the batch's symlink file, should the
 * finalizer have registered the batch as a partition of its dataset's table before failing:
 * the partition then lists no file, and Athena reads nothing from it, instead of failing every
 * query of the table on files that no longer exist. Its counters stay on the job record, saying
 * how far it got. Runs once the job has ended (from the job table's stream), when no later
 * part can appear unnoticed: a worker that finishes a part after the end deletes it itself
 * (see exportShardStep). Idempotent: a retry deletes what is left.
 */
export async function discardPartialOutput(
  folders: BatchFolders,
  job: JobRecord,
): Promise<{ discarded: boolean; objects: number }> {
  if (!ABANDONED_OUTCOMES.includes(job.status)) return { discarded: false, objects: 0 };
  const tenant = { orgId: job.imsOrgId, sandboxName: job.sandboxName };
  let objects = 0;
  for (const batchId of batchIdsOf(job.destination)) {
    objects += await folders.deleteAll(batchPrefix(tenant, job.destination.datasetId, batchId));
    objects += await folders.deleteAll(batchPartitionPrefix(tenant, job.destination.datasetId, batchId));
  }
  return { discarded: true, objects };
}
