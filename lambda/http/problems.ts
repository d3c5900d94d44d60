import type { APIGatewayProxyResult } from 'aws-lambda';
import { problemType, type ProblemFieldError } from '../contract/problem';
import { DomainError, ThrottledError, type DomainErrorKind } from '../domain/errors';
import { problem } from './http-response';

const STATUS: Readonly<Record<DomainErrorKind, { status: number; title: string }>> = {
  'invalid-request': { status: 400, title: 'Invalid request' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'unsupported-feature': { status: 422, title: 'Unsupported feature' },
  'job-not-found': { status: 404, title: 'Export job not found' },
  'dataset-not-found': { status: 404, title: 'Dataset not found' },
  'unprocessable-request': { status: 422, title: 'Unprocessable request' },
  'tenant-forbidden': { status: 403, title: 'Forbidden' },
  'idempotency-conflict': { status: 409, title: 'Idempotency-Key conflict' },
  'job-finishing': { status: 409, title: 'Export job is finishing' },
  throttled: { status: 429, title: 'Too many requests' },
};

/**
 * What is wrong, as the contract asks of every 4xx: the error's own field errors, or one entry
 * for the whole request (path "") when it names no field (a conflict, a forbidden tenant).
 */
function fieldErrors(error: DomainError): ProblemFieldError[] {
  if (error.errors.length === 0) return [{ path: '', code: error.kind, message: error.message }];
  return error.errors.map(({ path, code, message }) => ({ path, code, message }));
}

/**
 * The response for an error a handler threw: a DomainError says what the client did wrong;
 * anything else is our fault and is reported as a 500 that reveals nothing but the request id.
 */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyResult {
  if (error instanceof DomainError) {
    const { status, title } = STATUS[error.kind];
    return problem(
      {
        type: problemType(error.kind),
        title,
        status,
        detail: error.message,
        requestId,
        errors: fieldErrors(error),
      },
      error instanceof ThrottledError ? { 'retry-after': String(error.retryAfterSeconds) } : {},
    );
  }
  return problem({
    type: problemType('internal-error'),
    title: 'Internal error',
    status: 500,
    detail: `The request could not be completed. Quote request id ${requestId} when reporting it.`,
    requestId,
    errors: [],
  });
}
