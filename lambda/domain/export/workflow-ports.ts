import type { JobError, JobMetrics } from '../../contract/job-record';
import type { JobRef, JobTiming } from '../ports';
import type { PartSummary } from './ports';

/** Whether the finalizer may complete a job, and if not, why. */
export type FinalizationClaim = 'claimed' | 'cancel-requested' | 'not-running';

/**
 * The job-table operations of the export workflow. Each is a conditional write on the status
 * it expects, so the workflow, a DELETE and a retried step can race and still end in one
 * consistent state.
 */
export interface ExportJobStore {
  /**
   * NEW → PROCESSING (or PROCESSING again, for a retried step), only for the job's own
   * execution: records when the export of profiles started. Without an execution id (an
   * execution of an earlier definition, which moved the job itself), only a PROCESSING job.
   */
  startExport(job: JobRef, executionId: string | undefined, now: number): Promise<boolean>;
  /**
   * Claims the right to complete the job. Refused when a DELETE asked to cancel it first (then
   * the job must end CANCELLED) or when it is no longer PROCESSING.
   */
  claimFinalization(job: JobRef, now: number): Promise<FinalizationClaim>;
  listParts(job: JobRef): Promise<PartSummary[]>;
  /** PROCESSING → SUCCEEDED with the final metrics. */
  complete(job: JobRef, metrics: JobMetrics, now: number): Promise<boolean>;
  /** NEW | PROCESSING → CANCELLED, recording the job's total time (its other metrics stay). */
  endCancelled(job: JobRef, totalTime: JobTiming, now: number): Promise<boolean>;
  /** NEW | PROCESSING → FAILED with the reasons and the job's total time. */
  fail(job: JobRef, errors: JobError[], totalTime: JobTiming, now: number): Promise<boolean>;
}

export interface ManifestStore {
  write(key: string, manifest: unknown): Promise<void>;
}
