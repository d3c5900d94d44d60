import type { JobRecord, JobStatus } from '../contract/job-record';
import type { Cursor } from './cursor';
import type { Tenant } from './tenant';

export interface JobPageQuery {
  readonly limit: number;
  readonly status?: JobStatus;
  /** Start strictly after this position of the newest-first order. */
  readonly after?: Cursor;
}

/**
 * Where jobs are kept. Every method that changes a job is a conditional write: it names the
 * state it expects and returns false, changing nothing, when the job is no longer in it.
 */
export interface JobRepository {
  /** A new id, unique within the tenant (ids only grow; a crash may leave a gap). */
  nextJobId(tenant: Tenant): Promise<number>;
  /** Stores a new job; fails if the id is taken. */
  insert(job: JobRecord): Promise<void>;
  get(tenant: Tenant, id: number): Promise<JobRecord | undefined>;
  /** One page, newest first; its cost is proportional to `limit`. */
  listPage(tenant: Tenant, query: JobPageQuery): Promise<{ jobs: JobRecord[]; hasMore: boolean }>;
  /** Moves the job from `from` to `to`, as the lifecycle allows. */
  changeStatus(tenant: Tenant, id: number, from: JobStatus, to: JobStatus, at: number): Promise<boolean>;
  /** Marks a PROCESSING job for cancelling; its workflow finishes it. */
  requestCancel(tenant: Tenant, id: number, at: number): Promise<boolean>;
  /** Deletes a job that is still in `status`. */
  remove(tenant: Tenant, id: number, status: JobStatus): Promise<boolean>;
}

export interface Clock {
  now(): number;
}
