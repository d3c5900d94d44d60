import type { JobStatus } from './job-record';
import { tenantKey, type Tenant } from './tenant';

/**
 * The layout of the job table: the construct creates the table and its indexes from it, and
 * the one adapter that reads and writes job items (`lambda/adapters/job-store`) builds every
 * key with the functions below. Nothing else spells a key.
 *
 * - a job:      pk = <tenant>, sk = JOB#<id, 16 digits>, plus the job's fields
 * - id counter: pk = <tenant>, sk = COUNTER, lastJobId
 * - part file:  pk = <tenant>, sk = JOB#<id>#PART#<batchId>#<file name>, written by the export
 *               workers, read by the finalizer, expired by TTL (`expiresAt`)
 * - batch:      pk = <tenant>, sk = BATCH#<batchId>, jobId, datasetId: written with its job (one
 *               transaction), so a batch is found by id within its tenant; it stays when the job
 *               is deleted, as the batch's files do
 *
 * Both indexes are sparse (only jobs carry `createdOrder`) and sort newest first when queried
 * backwards, so a page costs O(limit) whatever the number of jobs of the tenant.
 */
export const JOB_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** All jobs of a tenant by (creationTime, id). */
  byCreationTime: { indexName: 'byCreationTime', partitionKey: 'pk', sortKey: 'createdOrder' },
  /** The jobs of a tenant in one status by (creationTime, id). */
  byStatus: { indexName: 'byStatus', partitionKey: 'tenantStatus', sortKey: 'createdOrder' },
  /** Epoch seconds after which DynamoDB deletes an item (only bookkeeping items carry it). */
  timeToLiveAttribute: 'expiresAt',
} as const;

/** The primary key of an item of the job table. */
export interface JobTableKey {
  readonly pk: string;
  readonly sk: string;
}

/** The position of a job in the newest-first order (creation time, then id, descending). */
export interface JobOrder {
  readonly creationTime: number;
  readonly id: number;
}

const JOB_PREFIX = 'JOB#';
const PART_INFIX = '#PART#';
const COUNTER = 'COUNTER';
const BATCH_PREFIX = 'BATCH#';

function jobSortKey(id: number): string {
  return `${JOB_PREFIX}${String(id).padStart(16, '0')}`;
}

/** Every key of the job table, built in one place. */
export const JOB_KEYS = {
  /** The partition of every item of a tenant (and of the byCreationTime index). */
  partition: (tenant: Tenant): string => tenantKey(tenant),
  job: (tenant: Tenant, id: number): JobTableKey => ({ pk: tenantKey(tenant), sk: jobSortKey(id) }),
  /** The tenant's id counter. */
  counter: (tenant: Tenant): JobTableKey => ({ pk: tenantKey(tenant), sk: COUNTER }),
  /** The record of one part file of a job's batch. */
  part: (tenant: Tenant, id: number, batchId: string, fileName: string): JobTableKey => ({
    pk: tenantKey(tenant),
    sk: `${jobSortKey(id)}${PART_INFIX}${batchId}#${fileName}`,
  }),
  /** A batch, by its id within its tenant. */
  batch: (tenant: Tenant, batchId: string): JobTableKey => ({ pk: tenantKey(tenant), sk: `${BATCH_PREFIX}${batchId}` }),
  /** The sort-key prefix shared by the part records of a job. */
  partPrefix: (id: number): string => `${jobSortKey(id)}${PART_INFIX}`,
  /** The partition key of the byStatus index. */
  tenantStatus: (tenant: Tenant, status: JobStatus): string => `${tenantKey(tenant)}#${status}`,
  /**
   * The sort key of both indexes: both numbers zero-padded to a fixed width, so that its
   * lexicographic order is the newest-first order and DynamoDB can range over it.
   */
  createdOrder: (order: JobOrder): string =>
    `${String(order.creationTime).padStart(15, '0')}_${String(order.id).padStart(16, '0')}`,
} as const;
