import type { JobRecord } from './job-record';

/** The part of a job the export workflow needs. */
export type ExportJobSpec = Pick<
  JobRecord,
  'id' | 'imsOrgId' | 'sandboxName' | 'destination' | 'filter' | 'fields' | 'additionalFields' | 'schema'
>;

/**
 * The payloads of the export workflow (Step Functions), shared by the construct that writes
 * its JSONPaths and by the Lambda functions it invokes.
 */

/** The key of the job item, so DynamoDB tasks can address it without a Lambda. */
export interface JobItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** The input of an execution, as the starter builds it from the job (deterministic). */
export interface ExportExecutionInput {
  readonly job: ExportJobSpec & { readonly creationTime: number };
  readonly keys: JobItemKey;
}

/** What the planner adds at `$.plan`. */
export interface ExportPlanOutput {
  readonly shards: number[];
  readonly startedAt: number;
}

/** One Map item: a shard, and where its export stands. */
export interface ShardTask {
  readonly job: ExportExecutionInput['job'];
  readonly keys: JobItemKey;
  readonly shard: number;
  /** The last profile id exported so far; absent at the start of the shard. */
  readonly cursor?: string;
  /** The number of invocations that have worked on this shard: names the next part files. */
  readonly sequence: number;
}

export interface ShardTaskResult extends ShardTask {
  readonly done: boolean;
}

/** The error a Catch hands to the failure handler, and the state that failed. */
export interface ExportFailureInput {
  readonly keys: JobItemKey;
  readonly job: ExportExecutionInput['job'];
  readonly failedState: string;
  readonly error: { readonly Error: string; readonly Cause?: string };
}

/** Errors a worker raises for conditions that a retry can clear (throttling, timeouts). */
export const TRANSIENT_EXPORT_ERROR = 'TransientExportError';
/** Raised when the job stopped running (cancelled or deleted) before a step began. */
export const JOB_NOT_RUNNING_ERROR = 'JobNotRunning';
