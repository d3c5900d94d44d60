import type { Context } from 'aws-lambda';
import { logger, metrics } from '../http/observability';
import { asTransient } from './workflow-errors';

interface JobInput {
  readonly job?: { readonly id?: number; readonly imsOrgId?: string; readonly sandboxName?: string };
}

/**
 * Wraps a step of the export workflow: the job id and tenant go into every log line, and an
 * AWS error a retry can clear is renamed TransientExportError so the state machine retries it.
 */
export function workflowHandler<I extends JobInput, O>(step: string, run: (input: I, context: Context) => Promise<O>) {
  return async (input: I, context: Context): Promise<O> => {
    logger.addContext(context);
    logger.appendKeys({
      step,
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
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
