import type { JobRecord } from '../../contract/job-record';
import type { Tenant } from '../../contract/tenant';

/** Where a batch belongs: stored with its job when the job is created, kept after it is deleted. */
export interface BatchRef {
  readonly batchId: string;
  readonly jobId: number;
  readonly datasetId: string;
}

/** Finds a tenant's batches by id, and their jobs. */
export interface BatchDirectory {
  /** A batch of the tenant by its id (its job may since have been deleted). */
  findBatch(tenant: Tenant, batchId: string): Promise<BatchRef | undefined>;
  get(tenant: Tenant, id: number): Promise<JobRecord | undefined>;
}

/** The files of batches in the export bucket. */
export interface BatchFileStore {
  /** The bytes of a batch's manifest, or undefined while the batch is not complete. */
  readManifest(key: string): Promise<Buffer | undefined>;
  /** A URL that GETs the object for `expiresInSeconds`, signed by the function's role. */
  presignedGetUrl(key: string, expiresInSeconds: number): Promise<string>;
}
