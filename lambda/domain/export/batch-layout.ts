import type { JobDestination } from '../../contract/job-record';
import type { Tenant } from '../tenant';

/**
 * A path segment of a batch's folder. URI encoding removes '/', and dots are encoded too, so
 * no id (such as "..") can name a folder outside its own.
 */
export function encodePathSegment(text: string): string {
  return encodeURIComponent(text).replace(/\./g, '%2E');
}

/** `<org>/<sandbox>/datasets/<datasetId>/batches/<batchId>/`, each segment encoded. */
export function batchPrefix(tenant: Tenant, datasetId: string, batchId: string): string {
  return [tenant.orgId, tenant.sandboxName, 'datasets', datasetId, 'batches', batchId]
    .map(encodePathSegment)
    .join('/')
    .concat('/');
}

/** Part files are named by shard and sequence, so a retried shard overwrites its own parts. */
export function partFileName(shard: number, sequence: number): string {
  return `part-${String(shard).padStart(4, '0')}-${String(sequence).padStart(6, '0')}.json.gz`;
}

export const MANIFEST_FILE_NAME = 'manifest.json';

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
