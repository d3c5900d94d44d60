import type { EventBridgeEvent } from 'aws-lambda';
import { jobStore, systemClock } from '../adapters/job-store';
import type { ExportExecutionInput } from '../contract/workflow';
import { onExecutionEnded, type ExecutionEnded } from '../domain/export/execution-ended';
import { logger, withPowertools } from '../observability/powertools';

interface ExecutionStatusChange {
  readonly executionArn: string;
  readonly status: ExecutionEnded['status'];
  readonly input: string;
  readonly error?: string | null;
  readonly cause?: string | null;
}

/** EventBridge "Step Functions Execution Status Change" (FAILED, TIMED_OUT, ABORTED) of the export workflow. */
export const handler = withPowertools(
  async (event: EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusChange>) => {
    const { executionArn, status, input, error, cause } = event.detail;
    const parsed = JSON.parse(input) as ExportExecutionInput;
    logger.appendKeys({ jobId: parsed.job.id, imsOrgId: parsed.job.imsOrgId, executionArn, status });
    const changed = await onExecutionEnded(
      { store: jobStore, clock: systemClock },
      { status, input: parsed, ...(error && { error }), ...(cause && { cause }) },
    );
    logger.info(changed ? 'Job ended by the execution watcher' : 'Job had already ended');
    return { changed };
  },
);
