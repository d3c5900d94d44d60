import type { JobError, JobMetrics } from '../../contract/job-record';
import type { JobItemKey } from '../../contract/workflow';
import type { PartSummary } from './ports';

/**
 * The job-table operations of the export workflow. Each is a conditional write on the status
 * it expects, so the workflow, a DELETE and a retried step can race and still end in one
 * consistent state.
 */
export interface ExportJobStore {
  /** PROCESSING only: records when the export of profiles started. */
  startExport(keys: JobItemKey, now: number): Promise<boolean>;
  /**
   * Claims the right to complete the job. Refused when a DELETE asked to cancel it first (then
   * the job must end CANCELLED) or when it is no longer PROCESSING.
   */
  claimFinalization(keys: JobItemKey, now: number): Promise<'claimed' | 'cancel-requested' | 'not-running'>;
  listParts(keys: JobItemKey): Promise<PartSummary[]>;
  /** PROCESSING → SUCCEEDED with the final metrics. */
  complete(keys: JobItemKey, metrics: JobMetrics, now: number): Promise<boolean>;
  /** NEW | PROCESSING → CANCELLED, recording the job's total time (its other metrics stay). */
  cancel(keys: JobItemKey, totalTime: JobTiming, now: number): Promise<boolean>;
  /** NEW | PROCESSING → FAILED with the reasons and the job's total time. */
  fail(keys: JobItemKey, errors: JobError[], totalTime: JobTiming, now: number): Promise<boolean>;
}

export type JobTiming = NonNullable<JobMetrics['totalTime']>;

export interface ManifestStore {
  write(key: string, manifest: unknown): Promise<void>;
}
