import { JobRecordSchema, type JobRecord } from '../../contract/job-record';
import { JOB_KEYS, JOB_TABLE } from '../../contract/job-table';
import type { ExportableJob } from '../../contract/workflow';
import type { Tenant } from '../../contract/tenant';
import type { PartSummary } from '../../domain/export/ports';
import type { BatchRef } from '../../domain/read-batch/ports';
import { orderBySchema } from '../../domain/order-by-schema';

export type Item = Record<string, unknown>;

/** Storage-only attributes of a job item: keys, index keys and the workflow's marks. */
const STORAGE_ATTRIBUTES = [
  JOB_TABLE.partitionKey,
  JOB_TABLE.sortKey,
  JOB_TABLE.byCreationTime.sortKey,
  JOB_TABLE.byStatus.partitionKey,
  JOB_TABLE.timeToLiveAttribute,
  'cancelRequestedAt',
  'finalizingAt',
] as const;

/** Attributes of a job item that only its export reads (ExportSettings): not in the API's record. */
const EXPORT_SETTINGS = ['attributeMerge'] as const;

export function tenantOf(job: Pick<JobRecord, 'imsOrgId' | 'sandboxName'>): Tenant {
  return { orgId: job.imsOrgId, sandboxName: job.sandboxName };
}

/** A job as the item that stores it, with its keys and index keys (and its export settings). */
export function toJobItem(job: ExportableJob): Item {
  const tenant = tenantOf(job);
  return {
    ...job,
    ...JOB_KEYS.job(tenant, job.id),
    [JOB_TABLE.byCreationTime.sortKey]: JOB_KEYS.createdOrder(job),
    [JOB_TABLE.byStatus.partitionKey]: JOB_KEYS.tenantStatus(tenant, job.status),
  };
}

/** The job an item stores, its fields in the documented order. */
export function fromJobItem(item: Item): JobRecord {
  const record: Item = { ...item };
  for (const attribute of [...STORAGE_ATTRIBUTES, ...EXPORT_SETTINGS]) delete record[attribute];
  return orderBySchema(JobRecordSchema, record) as unknown as JobRecord;
}

/** The job an item stores with its export settings, for the workflow that exports it. */
export function fromJobItemForExport(item: Item): ExportableJob {
  const job: ExportableJob = fromJobItem(item);
  return item.attributeMerge === undefined
    ? job
    : { ...job, attributeMerge: item.attributeMerge as ExportableJob['attributeMerge'] };
}

/** The record of a finished part file, kept for the finalizer until `expiresAtSeconds`. */
export function toPartItem(tenant: Tenant, jobId: number, part: PartSummary, expiresAtSeconds: number): Item {
  return {
    ...JOB_KEYS.part(tenant, jobId, part.batchId, part.fileName),
    batchId: part.batchId,
    key: part.key,
    fileName: part.fileName,
    records: part.records,
    bytes: part.bytes,
    sha256: part.sha256,
    namespaces: part.namespaces,
    [JOB_TABLE.timeToLiveAttribute]: expiresAtSeconds,
  };
}

export function fromPartItem(item: Item): PartSummary {
  return {
    batchId: item.batchId as string,
    key: item.key as string,
    fileName: item.fileName as string,
    records: item.records as number,
    bytes: item.bytes as number,
    sha256: item.sha256 as string,
    namespaces: (item.namespaces as Record<string, number>) ?? {},
  };
}

/** The items that find a job's batches by id within its tenant (one per batch). */
export function toBatchItems(job: JobRecord): Item[] {
  const { datasetId, batchId, batches } = job.destination;
  const batchIds = batchId !== undefined ? [batchId] : (batches ?? []).map((batch) => batch.batchId);
  return batchIds.map((id) => ({
    ...JOB_KEYS.batch(tenantOf(job), id),
    batchId: id,
    jobId: job.id,
    datasetId,
  }));
}

export function fromBatchItem(item: Item): BatchRef {
  return { batchId: item.batchId as string, jobId: item.jobId as number, datasetId: item.datasetId as string };
}
