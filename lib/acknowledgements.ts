import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges a policy-validation finding (e.g. cdk-nag's AwsSolutions-COG4) on one construct
 * and what it contains, with the reason it is accepted. The construct library acknowledges only
 * what it knows to be deliberate, where it is deliberate, so that its users see their own
 * findings only.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges cdk-nag's IAM5 (wildcard) finding for each of `resources` on `scope`. A finding
 * names the resource as cdk-nag prints it (`<LogicalId.Arn>`, `<AWS::Region>`, other intrinsics
 * as JSON), so the id is rendered from the very ARN expression that was granted: the
 * acknowledgement covers that grant and no other wildcard.
 */
export function acknowledgeWildcards(scope: IConstruct, resources: string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    acknowledge(scope, `AwsSolutions-IAM5[Resource::${asNagPrintsIt(stack.resolve(resource))}]`, reason);
  }
}

function asNagPrintsIt(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, any>;
  if (typeof intrinsic.Ref === 'string') return `<${intrinsic.Ref}>`;
  if (Array.isArray(intrinsic['Fn::GetAtt'])) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  if (Array.isArray(intrinsic['Fn::Join'])) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(asNagPrintsIt).join(separator);
  }
  return JSON.stringify(value);
}

/** The ARN of every execution of a state machine, as StateMachine.grantExecution grants it. */
export function executionsOf(stateMachine: sfn.IStateMachine): string {
  const stack = Stack.of(stateMachine);
  return `${stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  })}`;
}

export const XRAY_REASON =
  "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource narrower than '*' (active tracing).";
