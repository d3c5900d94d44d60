import { JOB_NOT_RUNNING_ERROR, SEGMENT_DEFINITION_CHANGED_ERROR } from '../contract/workflow';
/** One problem with one input field, addressed by a JSON pointer ("" for the whole input). */
export interface FieldError {
  readonly path: string;
  readonly code: string;
  readonly message: string;
  /** Where in a text value (a PQL expression) the problem starts. */
  readonly position?: { readonly offset: number; readonly line: number; readonly column: number };
}

/**
 * Errors of the domain. Each says what went wrong in terms a client understands; the HTTP
 * layer maps them to a status and an application/problem+json body.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type DomainErrorKind =
  | 'invalid-request'
  | 'unsupported-media-type'
  | 'unsupported-feature'
  | 'job-not-found'
  | 'dataset-not-found'
  | 'unprocessable-request'
  | 'idempotency-conflict'
  | 'job-finishing'
  | 'tenant-forbidden'
  | 'throttled'
  | 'batch-not-found'
  | 'batch-incomplete'
  | 'file-not-found'
  | 'resource-not-found'
  | 'conflict';

/** The input breaks the contract: every problem is listed. */
export class InvalidRequestError extends DomainError {
  readonly kind = 'invalid-request';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly kind = 'unsupported-media-type';
}

/** Valid input asking for something the service does not do yet: refused, never ignored. */
export class UnsupportedFeatureError extends DomainError {
  readonly kind = 'unsupported-feature';
}

export class JobNotFoundError extends DomainError {
  readonly kind = 'job-not-found';
  constructor(id: number) {
    super(`No export job ${id} exists in this organization and sandbox.`, [
      { path: '/id', code: 'not_found', message: `no export job ${id} in this organization and sandbox` },
    ]);
  }
}

export class DatasetNotFoundError extends DomainError {
  readonly kind = 'dataset-not-found';
  constructor(id: string) {
    super(`No dataset ${id} exists in this organization and sandbox.`, [
      { path: '/id', code: 'not_found', message: `no dataset ${id} in this organization and sandbox` },
    ]);
  }
}

/** No merge policy or segment definition of this id exists in the tenant. */
export class ResourceNotFoundError extends DomainError {
  readonly kind = 'resource-not-found';
  constructor(what: string, id: string) {
    super(`No ${what} ${id} exists in this organization and sandbox.`, [
      { path: '/id', code: 'not_found', message: `no ${what} ${id} in this organization and sandbox` },
    ]);
  }
}

/** No batch of that id in the tenant (another tenant's batch is just as unknown). */
export class BatchNotFoundError extends DomainError {
  readonly kind = 'batch-not-found';
  constructor(batchId: string, path = '/batchId') {
    super(`No batch ${batchId} exists in this organization and sandbox.`, [
      { path, code: 'not_found', message: `no batch ${batchId} in this organization and sandbox` },
    ]);
  }
}

/**
 * A well-formed request that names what the tenant does not have, or what does not fit it
 * (a job's dataset, its schema, its merge policy and version): every such problem is listed.
 */
export class UnprocessableRequestError extends DomainError {
  readonly kind = 'unprocessable-request';
}

/** The tenant's batch has no manifest: still being written, or its job ended without it. */
export class BatchIncompleteError extends DomainError {
  readonly kind = 'batch-incomplete';
}

/** The batch is complete but holds no such file. */
export class FileNotFoundError extends DomainError {
  readonly kind = 'file-not-found';
}

/** The change conflicts with the state of the resource (another default, a concurrent update, read-only). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** The Idempotency-Key was used for another request, or the first request is still running. */
export class IdempotencyConflictError extends DomainError {
  readonly kind = 'idempotency-conflict';
}

/** The verified identity does not grant the organisation or sandbox the request names. */
export class TenantForbiddenError extends DomainError {
  readonly kind = 'tenant-forbidden';
}

/** DELETE came while the workflow is writing the job's manifests: too late to cancel. */
export class JobFinishingError extends DomainError {
  readonly kind = 'job-finishing';
  constructor(id: number) {
    super(`Export job ${id} is writing its manifests and can no longer be cancelled; delete it once it has finished.`);
  }
}

/** A backing service throttled the request; the client should retry after `retryAfterSeconds`. */
export class ThrottledError extends DomainError {
  readonly kind = 'throttled';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The workflow refused to start a job for a reason no retry can clear (the job fails). */
export class WorkflowStartRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkflowStartRefused';
  }
}

/** The job was cancelled or deleted before a workflow step: the workflow ends quietly. */
export class JobNotRunningError extends Error {
  constructor(jobId: number) {
    super(`Job ${jobId} is not running (cancelled or deleted).`);
    this.name = JOB_NOT_RUNNING_ERROR;
  }
}

/** A segment a job evaluates has no definition as it was when the job was created: the job fails. */
export class SegmentDefinitionChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = SEGMENT_DEFINITION_CHANGED_ERROR;
  }
}
