import { StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { ENVIRONMENT } from '../contract/environment';
import type { JobRecord } from '../contract/job-record';
import type { Tenant } from '../contract/tenant';
import type { ExportExecutionInput } from '../contract/workflow';
import { WorkflowStartRefused } from '../domain/errors';
import { executionArn, executionName } from '../domain/export/execution-name';
import type { ExportWorkflow } from '../domain/ports';
import { requiredEnv } from './required-env';
import { sfnClient } from './sfn-client';

/** StartExecution errors that no retry can clear. */
const PERMANENT_START_ERRORS = new Set([
  'InvalidExecutionInput',
  'InvalidName',
  'InvalidArn',
  'StateMachineDoesNotExist',
]);

/** The export workflow as a Step Functions state machine. */
export class StepFunctionsExportWorkflow implements ExportWorkflow {
  constructor(private readonly stateMachineArn = requiredEnv(ENVIRONMENT.stateMachineArn)) {}

  executionIdFor(tenant: Tenant, id: number, creationTime: number): string {
    return executionArn(this.stateMachineArn, executionName(tenant, id, creationTime));
  }

  async start(job: JobRecord, input: ExportExecutionInput): Promise<'started' | 'already-started'> {
    const name = executionName({ orgId: job.imsOrgId, sandboxName: job.sandboxName }, job.id, job.creationTime);
    try {
      await sfnClient.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
      );
      return 'started';
    } catch (error) {
      const { name: errorName, message } = error as Error;
      if (errorName === 'ExecutionAlreadyExists') return 'already-started';
      if (PERMANENT_START_ERRORS.has(errorName)) throw new WorkflowStartRefused(errorName, message);
      throw error;
    }
  }

  async stop(executionId: string, cause: string): Promise<void> {
    try {
      await sfnClient.send(new StopExecutionCommand({ executionArn: executionId, cause }));
    } catch (error) {
      // Not started yet, or already ended: either way nothing runs to stop.
      if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
    }
  }
}
