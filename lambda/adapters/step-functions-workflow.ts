import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { executionArn, executionName } from '../domain/export/execution-name';
import type { ExportWorkflow } from '../domain/ports';
import type { Tenant } from '../domain/tenant';
import { ENVIRONMENT, requiredEnv } from './job-table-layout';
import { sfnClient } from './sfn-client';

/** The export workflow as a Step Functions state machine. */
export class StepFunctionsExportWorkflow implements ExportWorkflow {
  constructor(private readonly stateMachineArn = requiredEnv(ENVIRONMENT.stateMachineArn)) {}

  executionIdFor(tenant: Tenant, id: number, creationTime: number): string {
    return executionArn(this.stateMachineArn, executionName(tenant, id, creationTime));
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
