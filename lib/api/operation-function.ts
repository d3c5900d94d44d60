import * as path from 'node:path';
import * as fs from 'node:fs';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledgeWildcards, XRAY_REASON } from '../acknowledgements';

/** Settings every function of the service shares. */
export interface FunctionDefaults {
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly environment: Record<string, string>;
  readonly reservedConcurrentExecutions?: number;
}

/** Where the handler sources live, whether this library runs from TypeScript or compiled JS. */
export function handlerEntry(name: string): string {
  const base = path.join(__dirname, '..', '..', 'lambda', 'handlers', name);
  const entry = [`${base}.ts`, `${base}.js`].find((candidate) => fs.existsSync(candidate));
  if (!entry) throw new Error(`No Lambda handler source for '${name}' at ${base}.ts`);
  return entry;
}

/**
 * A Lambda function of the service: bundled by esbuild from TypeScript, on the newest Node.js
 * runtime aws-cdk-lib knows, on ARM64, minified with source maps, X-Ray active, and its own log
 * group with a retention. The AWS SDK v3 comes from the runtime, so bundles stay small. Its role
 * starts empty (no managed policy): it may write to its own log group, and gets the rest from
 * explicit grants.
 */
export function createServiceFunction(
  scope: Construct,
  id: string,
  handler: string,
  defaults: FunctionDefaults,
  description: string,
): nodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: defaults.logRetention,
    removalPolicy: defaults.logRemovalPolicy,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Role of ${id}`,
  });
  logGroup.grantWrite(role);
  const fn = new nodejs.NodejsFunction(scope, id, {
    description,
    role,
    entry: handlerEntry(handler),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: defaults.memorySize,
    timeout: defaults.timeout,
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    reservedConcurrentExecutions: defaults.reservedConcurrentExecutions,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...defaults.environment },
    bundling: {
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      target: 'node24',
      externalModules: ['@aws-sdk/*'],
    },
  });
  acknowledgeWildcards(role, ['*'], XRAY_REASON);
  return fn;
}
