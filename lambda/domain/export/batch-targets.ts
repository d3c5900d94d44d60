import type { JobDestination } from '../../contract/job-record';

/** Where each exported profile goes: every batch of the job, by the segment it is for. */
export interface BatchTarget {
  readonly batchId: string;
  /** Index in filter.segments of the segment of this batch; absent for the single batch. */
  readonly segmentIndex?: number;
}

export function batchTargets(destination: JobDestination): BatchTarget[] {
  if (destination.segmentPerBatch && destination.batches) {
    return destination.batches.map((batch, segmentIndex) => ({ batchId: batch.batchId, segmentIndex }));
  }
  return [{ batchId: destination.batchId! }];
}

/** Every batch of a job. */
export function batchIdsOf(destination: JobDestination): string[] {
  return batchTargets(destination).map((target) => target.batchId);
}
