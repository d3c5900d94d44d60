import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledgeWildcards, XRAY_REASON } from '../acknowledgements';
import type { FunctionDefaults } from '../function-defaults';
import { handlerCode } from '../handler-assets';

/**
 * A Lambda function of the service: the handler's prebuilt bundle (`npm run build`; minified,
 * with source maps and the AWS SDK v3 inside), on the newest Node.js runtime aws-cdk-lib knows,
 * on ARM64, X-Ray active, and its own log group with a retention. Its role
 * starts empty (no managed policy): it may write to its own log group, and gets the rest from
 * explicit grants.
 */
export function createServiceFunction(
  scope: Construct,
  id: string,
  handler: string,
  defaults: FunctionDefaults,
  description: string,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: defaults.logRetention,
    removalPolicy: defaults.logRemovalPolicy,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Role of ${id}`,
  });
  logGroup.grantWrite(role);
  const fn = new lambda.Function(scope, id, {
    description,
    role,
    code: handlerCode(handler),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: defaults.memorySize,
    timeout: defaults.timeout,
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    reservedConcurrentExecutions: defaults.reservedConcurrentExecutions,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...defaults.environment },
  });
  acknowledgeWildcards(role, ['*'], XRAY_REASON);
  return fn;
}
