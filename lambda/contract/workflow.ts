import type { JobRecord } from './job-record';
import type { AttributeMergeSpec } from './merge-policy';

/**
 * The part of a job the export workflow needs: its tenant and id address the job item. With
 * `attributeMerge`, the merge policy's rule as it was when the job was created (the version
 * the job records), so no worker reads the policy and a later PATCH cannot change a running
 * export; absent on jobs created before merge policies took effect (timestampOrdered).
 */
export type ExportJobSpec = Pick<
  JobRecord,
  'id' | 'imsOrgId' | 'sandboxName' | 'destination' | 'filter' | 'fields' | 'additionalFields' | 'schema'
> &
  ExportSettings &
  // Only a job that evaluates segments carries it (`{ segmentation: true }`): the others' payloads are unchanged.
  Partial<Pick<JobRecord, 'evaluationInfo'>>;

/** What a job keeps for its export only (stored with it, never in the API's record). */
export interface ExportSettings {
  /** The rule of the merge policy version the job recorded; absent on jobs from before (timestampOrdered). */
  readonly attributeMerge?: AttributeMergeSpec;
}

/** A job as it is stored: its record, and its export settings. */
export type ExportableJob = JobRecord & ExportSettings;

/**
 * The payloads of the export workflow (Step Functions), shared by the construct that writes
 * its JSONPaths and by the Lambda functions it invokes. They carry the job (its tenant and
 * id), never storage keys: only the job-store adapter knows how a job is kept.
 */

/** The names of the workflow's states: the construct names its states with them, handlers log them. */
export const WORKFLOW_STATES = {
  planExport: 'PlanExport',
  exportShards: 'ExportShards',
  exportShardPage: 'ExportShardPage',
  finalizeExport: 'FinalizeExport',
  failExport: 'FailExport',
} as const;

/** The input of an execution, as the starter builds it from the job (deterministic). */
export interface ExportExecutionInput {
  readonly job: ExportJobSpec & { readonly creationTime: number };
}

/** What PlanExport receives: the job, and the execution that may run it. */
export interface PlanExportInput extends ExportExecutionInput {
  /**
   * `$$.Execution.Id`: only the job's own execution may move it to PROCESSING. Absent in an
   * execution started by a definition of before 0.2, whose first state already did.
   */
  readonly executionId?: string;
}

/** What the planner adds at `$.plan`. */
export interface ExportPlanOutput {
  readonly shards: number[];
  readonly startedAt: number;
}

/** One Map item: a shard, and where its export stands. */
export interface ShardTask {
  readonly job: ExportExecutionInput['job'];
  readonly shard: number;
  /** The last profile id exported so far; absent at the start of the shard. */
  readonly cursor?: string;
  /** The number of invocations that have worked on this shard: names the next part files. */
  readonly sequence: number;
  /**
   * The plan's `startedAt`: the one instant segments are evaluated at, for every shard of a job
   * with `evaluationInfo.segmentation` (its qualification time). Absent in an execution of a state
   * machine defined before it was added: the job's creation time is used then.
   */
  readonly evaluatedAt?: number;
}

export interface ShardTaskResult extends ShardTask {
  readonly done: boolean;
}

/** The error a Catch hands to the failure handler, and the state that failed. */
export interface ExportFailureInput {
  readonly job: ExportExecutionInput['job'];
  readonly failedState: string;
  readonly error: { readonly Error: string; readonly Cause?: string };
}

/** Errors a worker raises for conditions that a retry can clear (throttling, timeouts). */
export const TRANSIENT_EXPORT_ERROR = 'TransientExportError';
/** Raised when the job stopped running (cancelled or deleted) before a step began. */
export const JOB_NOT_RUNNING_ERROR = 'JobNotRunning';
/**
 * Raised when a segment a job evaluates at export has no definition as it was when the job was
 * created (updated or deleted since): the job fails, saying which.
 */
export const SEGMENT_DEFINITION_CHANGED_ERROR = 'SegmentDefinitionChanged';

/** Step Functions' limit on an execution's input and on every state's input and output (UTF-8 bytes). */
export const STEP_FUNCTIONS_PAYLOAD_LIMIT_BYTES = 256 * 1024;

/**
 * The most the job may weigh in the workflow's payloads (its ExportJobSpec as JSON, UTF-8
 * bytes); a create request whose job would weigh more is refused. Every state carries the job
 * once, plus at most the plan (one number per shard), a shard's cursor, or the error a Catch
 * caught (its Cause budgeted at 64 KiB): 160 KiB leaves that room under the 256 KiB limit. A
 * maximal request with plain identifiers (100 segments of 256-character ids, one batch each,
 * 8,192-character field lists, the heaviest tenant) under the heaviest merge policy (a
 * `dataSetPrecedence` order of MAX_PRECEDENCE_DATASETS 128-character ids, 13,175 bytes) weighs
 * 153,076 bytes (149.5 KiB).
 */
export const MAX_WORKFLOW_JOB_BYTES = 160 * 1024;

/** The room left for the Cause of a caught error in FailExport's input. */
export const MAX_CAUGHT_ERROR_BYTES = 64 * 1024;
