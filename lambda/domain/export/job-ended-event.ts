import type { JobEndedDetail } from '../../contract/job-events';
import { isTerminal } from '../../contract/job-lifecycle';
import type { JobRecord } from '../../contract/job-record';
import { batchIdsOf } from './batch-targets';

/** What a finished job tells the world: its identity, outcome, counts and batches. */
export function jobEndedDetail(job: JobRecord): JobEndedDetail | undefined {
  if (!isTerminal(job.status)) return undefined;
  const { destination, metrics } = job;
  return {
    id: job.id,
    imsOrgId: job.imsOrgId,
    sandboxName: job.sandboxName,
    status: job.status as JobEndedDetail['status'],
    datasetId: destination.datasetId,
    batchIds: batchIdsOf(destination),
    totalExportedProfileCounter: metrics.totalExportedProfileCounter ?? 0,
    exportedProfileByNamespaceCounter: metrics.exportedProfileByNamespaceCounter ?? {},
    errors: job.errors,
    creationTime: job.creationTime,
    endTime: job.updateTime,
  };
}

/** Ports of the publisher. */
export interface JobEventBus {
  /** Puts the events; throws when any of them was not accepted. */
  publishJobsEnded(details: readonly JobEndedDetail[]): Promise<void>;
}
