import { TRANSIENT_EXPORT_ERROR } from '../contract/workflow';

/**
 * A failure a retry can clear. Step Functions retries steps that fail with this name (with
 * backoff); other errors fail the job at once.
 */
export class TransientExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = TRANSIENT_EXPORT_ERROR;
  }
}

const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'SlowDown',
  'InternalError',
  'InternalServerError',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);

/** AWS SDK errors that outlasted the SDK's own retries but may pass on a later attempt. */
export function asTransient(error: unknown): TransientExportError | undefined {
  const candidate = error as { name?: string; code?: string; $retryable?: unknown; $fault?: string; message?: string };
  if (!candidate || typeof candidate !== 'object') return undefined;
  const transient =
    candidate.$retryable !== undefined ||
    candidate.$fault === 'server' ||
    TRANSIENT_NAMES.has(candidate.name ?? '') ||
    TRANSIENT_NAMES.has(candidate.code ?? '');
  return transient
    ? new TransientExportError(`${candidate.name ?? 'Error'}: ${candidate.message ?? ''}`.trim())
    : undefined;
}
