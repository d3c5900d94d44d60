import type { EventBridgeEvent } from 'aws-lambda';
import { exportJobStore } from '../adapters/export-workflow-dependencies';
import { systemClock } from '../adapters/job-repository';
import type { ExportExecutionInput } from '../contract/workflow';
import { onExecutionEnded, type ExecutionEnded } from '../domain/export/execution-ended';
import { logger } from '../http/observability';

interface ExecutionStatusChange {
  readonly executionArn: string;
  readonly status: ExecutionEnded['status'];
  readonly input: string;
  readonly error?: string | null;
  readonly cause?: string | null;
}

/** EventBridge "Step Functions Execution Status Change" (FAILED, TIMED_OUT, ABORTED) of the export workflow. */
export const handler = async (
  event: EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusChange>,
) => {
  const { executionArn, status, input, error, cause } = event.detail;
  const parsed = JSON.parse(input) as ExportExecutionInput;
  logger.appendKeys({ jobId: parsed.job.id, executionArn, status });
  const changed = await onExecutionEnded(
    { store: exportJobStore, clock: systemClock },
    { status, input: parsed, ...(error && { error }), ...(cause && { cause }) },
  );
  logger.info(changed ? 'Job ended by the execution watcher' : 'Job had already ended');
  logger.resetKeys();
  return { changed };
};
