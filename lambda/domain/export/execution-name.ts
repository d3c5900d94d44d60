import { createHash } from 'node:crypto';
import { tenantKey, type Tenant } from '../../contract/tenant';

/**
 * The name of the workflow execution of a job: derived from the job alone (tenant, id,
 * creation time), so starting it twice cannot make two executions — Step Functions refuses a
 * second execution of the same name.
 */
export function executionName(tenant: Tenant, id: number, creationTime: number): string {
  const tenantHash = createHash('sha256').update(tenantKey(tenant)).digest('hex').slice(0, 16);
  return `job-${tenantHash}-${id}-${creationTime}`;
}

/** The ARN an execution of `stateMachineArn` named `name` has. */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
