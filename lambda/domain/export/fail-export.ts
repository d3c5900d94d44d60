import type { JobError } from '../../contract/job-record';
import type { ExportFailureInput } from '../../contract/workflow';
import { jobRefOf, type Clock } from '../ports';
import { timing } from './manifest';
import type { ExportJobStore } from './workflow-ports';

const MAX_MESSAGE_LENGTH = 1000;

/**
 * The job error for a failed workflow step. Step Functions gives the error name and a cause
 * (for a Lambda, a JSON object with errorMessage and a stack trace); the job keeps the name
 * as code, the message without any trace, and the step as callStack.
 */
export function jobErrorOf(input: Pick<ExportFailureInput, 'error' | 'failedState'>): JobError {
  return {
    code: input.error.Error,
    msg: messageOf(input.error.Cause ?? input.error.Error),
    callStack: input.failedState,
  };
}

function messageOf(cause: string): string {
  let message = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // A plain-text cause.
  }
  const firstLine = message.split('\n').find((line) => !/^\s*at\s/.test(line)) ?? message;
  return firstLine.trim().slice(0, MAX_MESSAGE_LENGTH) || 'The export failed.';
}

/** A failed step: the job ends FAILED (unless it already ended), saying what happened. */
export async function failExport(
  dependencies: { readonly store: ExportJobStore; readonly clock: Clock },
  input: ExportFailureInput,
): Promise<boolean> {
  const now = dependencies.clock.now();
  return dependencies.store.fail(jobRefOf(input.job), [jobErrorOf(input)], timing(input.job.creationTime, now), now);
}
