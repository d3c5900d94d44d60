import type { Context } from 'aws-lambda';
import type { WORKFLOW_STATES } from '../contract/workflow';
import { logger, withPowertools } from '../observability/powertools';
import { asTransient } from './workflow-errors';

interface JobInput {
  readonly job?: { readonly id?: number; readonly imsOrgId?: string; readonly sandboxName?: string };
}

type WorkflowState = (typeof WORKFLOW_STATES)[keyof typeof WORKFLOW_STATES];

/**
 * Wraps a step of the export workflow, with Powertools' middleware: the state, the job id and
 * tenant go into every log line, and an AWS error a retry can clear is renamed
 * TransientExportError so the state machine retries it.
 */
export function workflowHandler<I extends JobInput, O>(
  state: WorkflowState,
  run: (input: I, context: Context) => Promise<O>,
) {
  return withPowertools(async (input: I, context: Context): Promise<O> => {
    logger.appendKeys({
      step: state,
      jobId: input.job?.id,
      imsOrgId: input.job?.imsOrgId,
      sandboxName: input.job?.sandboxName,
    });
    try {
      return await run(input, context);
    } catch (error) {
      const transient = asTransient(error);
      logger.error(transient ? 'Step failed; it will be retried' : 'Step failed', error as Error);
      throw transient ?? error;
    }
  });
}
