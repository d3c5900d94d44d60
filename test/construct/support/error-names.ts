/**
 * Whether an error name in a state machine's Retry or Catch can ever match. Step Functions
 * compares names as strings: a misspelt one (`DynamoDB.InternalServerErrorException` for
 * `DynamoDB.InternalServerError`) is accepted at deploy time and silently never matches.
 */

/** The error names of the Amazon States Language and Step Functions (Error handling in Step Functions). */
export const STATES_ERRORS = new Set([
  'States.ALL',
  'States.BranchFailed',
  'States.DataLimitExceeded',
  'States.ExceedToleratedFailureThreshold',
  'States.HeartbeatTimeout',
  'States.Http.Socket',
  'States.IntrinsicFailure',
  'States.ItemReaderFailed',
  'States.NoChoiceMatched',
  'States.ParameterPathFailure',
  'States.Permissions',
  'States.QueryEvaluationError',
  'States.ResultPathMatchFailure',
  'States.ResultWriterFailed',
  'States.Runtime',
  'States.TaskFailed',
  'States.Timeout',
]);

/**
 * The SDK package whose model names each service's errors, by the prefix Step Functions gives
 * them (`<Service>.<ExceptionName>`, the exception's name as the service reports it).
 */
const SERVICE_PACKAGES: Record<string, { readonly module: string; readonly baseException: string }> = {
  Lambda: { module: '@aws-sdk/client-lambda', baseException: 'LambdaServiceException' },
  DynamoDB: { module: '@aws-sdk/client-dynamodb', baseException: 'DynamoDBServiceException' },
  S3: { module: '@aws-sdk/client-s3', baseException: 'S3ServiceException' },
  SFN: { module: '@aws-sdk/client-sfn', baseException: 'SFNServiceException' },
  EventBridge: { module: '@aws-sdk/client-eventbridge', baseException: 'EventBridgeServiceException' },
};

/**
 * Lambda errors that Step Functions itself reports for its Lambda integration, documented in
 * "Handle Lambda service exceptions" (Step Functions Developer Guide) but absent from the Lambda
 * API model: they come from the client Step Functions uses (the Java SDK's names), not the service.
 */
const STEP_FUNCTIONS_LAMBDA_ERRORS = new Set([
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.Unknown',
]);

/**
 * Error types the Lambda runtime reports for a failed invocation (Lambda Developer Guide,
 * "Troubleshoot invocation issues"): `Sandbox.Timedout` is a function that ran out of time.
 */
const LAMBDA_FUNCTION_ERRORS = new Set(['Sandbox.Timedout']);

/** The exception names a service's SDK package exports (its model's errors). */
export function exceptionNamesOf(service: string): Set<string> | undefined {
  const sdk = SERVICE_PACKAGES[service];
  if (!sdk) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(sdk.module) as Record<string, unknown>;
  const base = exports[sdk.baseException] as { prototype: object } | undefined;
  if (!base) throw new Error(`${sdk.module} exports no ${sdk.baseException}`);
  return new Set(
    Object.entries(exports)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof (base as never))
      .map(([name]) => name),
  );
}

/**
 * Why an error name can never match, or undefined when it can: a `States.` name must be one of
 * the language's, `<Service>.<Name>` must be an exception of that service's SDK model (or an
 * error Step Functions documents for it), and any other name must be one the project raises.
 */
export function unknownErrorName(name: string, projectErrors: ReadonlySet<string>): string | undefined {
  if (projectErrors.has(name) || STEP_FUNCTIONS_LAMBDA_ERRORS.has(name) || LAMBDA_FUNCTION_ERRORS.has(name))
    return undefined;
  if (name.startsWith('States.'))
    return STATES_ERRORS.has(name) ? undefined : `${name} is not an error of the States language`;
  const [service, ...rest] = name.split('.');
  const exceptions = exceptionNamesOf(service);
  if (!exceptions) return `${name} names neither a known service nor an error the project raises`;
  const exception = rest.join('.');
  return exceptions.has(exception)
    ? undefined
    : `${name}: ${SERVICE_PACKAGES[service].module} exports no exception ${exception}`;
}

/** Every error name of every Retry and Catch in a definition, however deeply nested. */
export function errorNamesIn(definition: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    for (const handler of [object.Retry, object.Catch].flat()) {
      for (const name of (handler as { ErrorEquals?: string[] } | undefined)?.ErrorEquals ?? []) names.add(name);
    }
    Object.values(object).forEach(visit);
  };
  visit(definition);
  return names;
}
