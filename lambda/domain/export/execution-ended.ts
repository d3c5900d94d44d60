import type { ExportExecutionInput } from '../../contract/workflow';
import { jobRefOf, type Clock } from '../ports';
import { timing } from './manifest';
import type { ExportJobStore } from './workflow-ports';

/** What Step Functions reports when an execution ends other than by succeeding. */
export interface ExecutionEnded {
  readonly status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly input: ExportExecutionInput;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * The backstop that makes every accepted job end: when an execution fails, times out or is
 * stopped in a way its own Catch could not handle (a timeout of the whole execution, an
 * operator's StopExecution), a job still NEW or PROCESSING ends FAILED (or CANCELLED when
 * stopped). A job the workflow already ended is left alone.
 */
export async function onExecutionEnded(
  dependencies: { readonly store: ExportJobStore; readonly clock: Clock },
  ended: ExecutionEnded,
): Promise<boolean> {
  const { job } = ended.input;
  const ref = jobRefOf(job);
  const now = dependencies.clock.now();
  const totalTime = timing(job.creationTime, now);
  if (ended.status === 'ABORTED') return dependencies.store.endCancelled(ref, totalTime, now);
  const code = ended.status === 'TIMED_OUT' ? 'States.Timeout' : (ended.error ?? 'States.ExecutionFailed');
  const msg =
    ended.status === 'TIMED_OUT'
      ? 'The export did not finish within the workflow timeout.'
      : `The export workflow failed${ended.cause ? `: ${ended.cause.split('\n')[0].slice(0, 500)}` : '.'}`;
  return dependencies.store.fail(ref, [{ code, msg, callStack: 'ExportWorkflow' }], totalTime, now);
}
