import type { Dataset } from '../contract/dataset';
import type { JobMetrics, JobRecord, JobStatus } from '../contract/job-record';
import type { ExportableJob, ExportExecutionInput } from '../contract/workflow';
import type { Cursor } from './cursor';
import type { Tenant } from '../contract/tenant';

/** A job by its tenant and id: how the ports address a job. */
export interface JobRef {
  readonly tenant: Tenant;
  readonly id: number;
}

/** The reference of a job the workflow carries. */
export function jobRefOf(job: {
  readonly imsOrgId: string;
  readonly sandboxName: string;
  readonly id: number;
}): JobRef {
  return { tenant: { orgId: job.imsOrgId, sandboxName: job.sandboxName }, id: job.id };
}

export interface JobPageQuery {
  readonly limit: number;
  readonly status?: JobStatus;
  /** Start strictly after this position of the newest-first order. */
  readonly after?: Cursor;
  /**
   * Stop reading once the records read weigh more than this (`responseBytes`): the page will
   * be cut there, so reading on would only hold more in memory.
   */
  readonly maxBytes?: number;
}

/**
 * Where jobs are kept. Every method that changes a job is a conditional write: it names the
 * state it expects and returns false, changing nothing, when the job is no longer in it.
 */
export interface JobRepository {
  /** A new id, unique within the tenant (ids only grow; a crash may leave a gap). */
  nextJobId(tenant: Tenant): Promise<number>;
  /** Stores a new job, with what only its export reads; fails if the id is taken. */
  insert(job: ExportableJob): Promise<void>;
  get(tenant: Tenant, id: number): Promise<JobRecord | undefined>;
  /** One page, newest first; its cost is proportional to `limit`. */
  listPage(tenant: Tenant, query: JobPageQuery): Promise<{ jobs: JobRecord[]; hasMore: boolean }>;
  /**
   * Ends a job CANCELLED, recording its total time: a NEW job at once; a PROCESSING job only
   * once it is marked for cancelling and its workflow has not begun to finalize it.
   */
  cancel(tenant: Tenant, id: number, from: 'NEW' | 'PROCESSING', at: number, totalTime: JobTiming): Promise<boolean>;
  /**
   * Marks a PROCESSING job for cancelling, unless its workflow has begun to finalize it: from
   * then on the workflow cannot complete it (it ends CANCELLED).
   */
  requestCancel(tenant: Tenant, id: number, at: number): Promise<boolean>;
  /** Deletes a job that is still in `status`. */
  remove(tenant: Tenant, id: number, status: JobStatus): Promise<boolean>;
}

export interface Clock {
  now(): number;
}

export type JobTiming = NonNullable<JobMetrics['totalTime']>;

/** The workflow that runs jobs. */
export interface ExportWorkflow {
  /** The id of the execution that runs (or will run) a job, known from the job alone. */
  executionIdFor(tenant: Tenant, id: number, creationTime: number): string;
  /**
   * Starts the execution of a job with `input`. Starting it again is not an error
   * ('already-started'); a start that no retry can make succeed throws WorkflowStartRefused.
   */
  start(job: JobRecord, input: ExportExecutionInput): Promise<'started' | 'already-started'>;
  /** Stops an execution; one that has ended or never started is not an error. */
  stop(executionId: string, cause: string): Promise<void>;
}

/** A stored dataset with its id. */
export interface StoredDataset {
  readonly id: string;
  readonly dataset: Dataset;
}

/** Where the datasets of the tenants are kept. */
export interface DatasetRepository {
  /** Stores a new dataset; fails if the id is taken. */
  insert(tenant: Tenant, stored: StoredDataset): Promise<void>;
  /** One read of one item. */
  get(tenant: Tenant, id: string): Promise<Dataset | undefined>;
  /** One page, newest first, strictly after `start`; its cost is proportional to `limit`. */
  listPage(
    tenant: Tenant,
    query: { readonly limit: number; readonly start?: string },
  ): Promise<{ datasets: StoredDataset[]; hasMore: boolean }>;
}
