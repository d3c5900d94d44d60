import type { LocalLambdaRuntime } from '../lambda-runtime';
import { LOCAL_ENVIRONMENT } from '../cloudformation-template';
import type { GatewayError } from './gateway-responses';
import type { GatewayRequest, GuardOutcome, RequestGuard } from './local-rest-api';
import type { AuthorizerDefinition, RestApiDefinition, UsagePlanDefinition } from './rest-api-definition';
import { TokenBucket } from './token-bucket';

interface AuthorizerResult {
  readonly principalId?: string;
  readonly policyDocument?: {
    Statement?: Array<{ Effect: string; Action: string | string[]; Resource: string | string[] }>;
  };
  readonly context?: Record<string, unknown>;
}

/** The ARN API Gateway gives a method: execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>. */
function methodArn(api: RestApiDefinition, request: GatewayRequest): string {
  const { region, accountId } = LOCAL_ENVIRONMENT;
  return `arn:aws:execute-api:${region}:${accountId}:local/${api.stage.name}/${request.method.httpMethod}${request.method.resourcePath}`;
}

/** IAM's wildcard matching of a policy resource against an ARN. */
function resourceMatches(pattern: string, arn: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(arn);
}

function allows(result: AuthorizerResult, arn: string): boolean {
  const statements = (result.policyDocument?.Statement ?? []).filter((statement) =>
    [statement.Action]
      .flat()
      .some((action) => action === 'execute-api:Invoke' || action === 'execute-api:*' || action === '*'),
  );
  const matching = statements.filter((statement) =>
    [statement.Resource].flat().some((resource) => resourceMatches(resource, arn)),
  );
  return (
    matching.some((statement) => statement.Effect === 'Allow') &&
    !matching.some((statement) => statement.Effect === 'Deny')
  );
}

/**
 * The method's Lambda authorizer, as API Gateway runs it: a request without its identity
 * sources is a 401 without invoking anything; the function's "Unauthorized" error is a 401;
 * its policy is evaluated against the method's ARN (403 unless it allows it); results are
 * cached per identity for the authorizer's TTL; the context goes to the integration.
 */
export function authorizerGuard(api: RestApiDefinition, lambda: LocalLambdaRuntime): RequestGuard {
  const cache = new Map<string, { result: AuthorizerResult; expires: number }>();
  return async (request: GatewayRequest): Promise<GuardOutcome | GatewayError> => {
    const authorizer: AuthorizerDefinition | undefined = request.method.authorizerLogicalId
      ? api.authorizers[request.method.authorizerLogicalId]
      : undefined;
    if (!authorizer) return {};
    const identity = authorizer.identitySources.map((source) => {
      const [, , location, name] = source.split('.');
      return location === 'header' ? request.headers[name.toLowerCase()] : (request.query.get(name) ?? undefined);
    });
    if (identity.some((value) => value === undefined || value === ''))
      return { type: 'UNAUTHORIZED', message: 'Unauthorized' };
    const cacheKey = `${authorizer.logicalId}|${identity.join('|')}`;
    const arn = methodArn(api, request);
    let entry = cache.get(cacheKey);
    if (!entry || entry.expires < Date.now()) {
      const invocation = await lambda.invoke(authorizer.functionLogicalId, {
        type: 'REQUEST',
        methodArn: arn,
        resource: request.method.resourcePath,
        path: request.method.resourcePath,
        httpMethod: request.method.httpMethod,
        headers: { ...request.headers },
        multiValueHeaders: request.multiValueHeaders,
        queryStringParameters: Object.fromEntries(request.query.entries()),
        pathParameters: request.pathParameters,
        stageVariables: null,
        requestContext: { requestId: request.requestId, stage: api.stage.name, httpMethod: request.method.httpMethod },
      });
      if (!invocation.ok) {
        if (invocation.error.errorMessage === 'Unauthorized') return { type: 'UNAUTHORIZED', message: 'Unauthorized' };
        return { type: 'AUTHORIZER_FAILURE', message: 'Authorizer failure' };
      }
      entry = {
        result: invocation.result as AuthorizerResult,
        expires: Date.now() + authorizer.resultTtlSeconds * 1000,
      };
      if (authorizer.resultTtlSeconds > 0) cache.set(cacheKey, entry);
    }
    if (!allows(entry.result, arn))
      return { type: 'ACCESS_DENIED', message: 'User is not authorized to access this resource' };
    const context = Object.fromEntries(
      Object.entries(entry.result.context ?? {}).map(([key, value]) => [key, String(value)]),
    );
    return {
      authorizer: { principalId: entry.result.principalId, ...context },
      variables: { 'authorizer.principalId': entry.result.principalId ?? '' },
    };
  };
}

interface KeyUsage {
  readonly bucket?: TokenBucket;
  readonly plan: UsagePlanDefinition;
  day: string;
  used: number;
}

/**
 * API keys and usage plans, as API Gateway applies them to a method that requires a key: the
 * x-api-key header must hold an enabled key of a plan of the stage (403 otherwise); the plan's
 * rate and burst apply per key (429, Retry-After) and so does its daily quota (429).
 */
export function apiKeyGuard(api: RestApiDefinition, keyValues: Readonly<Record<string, string>>): RequestGuard {
  const usage = new Map<string, KeyUsage>();
  const planOf = (keyLogicalId: string) => api.usagePlans.find((plan) => plan.apiKeys.includes(keyLogicalId));
  return async (request: GatewayRequest): Promise<GuardOutcome | GatewayError> => {
    if (!request.method.apiKeyRequired) return {};
    const presented = request.headers['x-api-key'];
    const key = api.apiKeys.find((candidate) => candidate.enabled && keyValues[candidate.logicalId] === presented);
    const plan = key && planOf(key.logicalId);
    if (!presented || !key || !plan) return { type: 'INVALID_API_KEY', message: 'Forbidden' };
    let keyUsage = usage.get(key.logicalId);
    if (!keyUsage) {
      keyUsage = {
        plan,
        bucket:
          plan.rateLimit !== undefined ? new TokenBucket(plan.rateLimit, plan.burstLimit ?? plan.rateLimit) : undefined,
        day: '',
        used: 0,
      };
      usage.set(key.logicalId, keyUsage);
    }
    if (keyUsage.bucket && !keyUsage.bucket.tryTake()) return { type: 'THROTTLED', message: 'Too Many Requests' };
    const today = new Date().toISOString().slice(0, 10);
    if (keyUsage.day !== today) Object.assign(keyUsage, { day: today, used: 0 });
    if (plan.quotaLimit !== undefined && plan.quotaPeriod === 'DAY' && keyUsage.used >= plan.quotaLimit) {
      return { type: 'QUOTA_EXCEEDED', message: 'Limit Exceeded' };
    }
    keyUsage.used += 1;
    return {
      identity: { apiKey: presented, apiKeyId: key.logicalId },
      variables: { 'identity.apiKeyId': key.logicalId },
    };
  };
}
