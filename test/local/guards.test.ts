import { apiKeyGuard, authorizerGuard } from '../../local/api-gateway/guards';
import type { GatewayRequest } from '../../local/api-gateway/local-rest-api';
import type { MethodDefinition, RestApiDefinition } from '../../local/api-gateway/rest-api-definition';
import type { CloudFormationTemplate } from '../../local/cloudformation-template';
import type { InvokeResult, LocalLambdaRuntime } from '../../local/lambda-runtime';

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:000000000000:local/v1/GET/jobs/{id}';

function method(overrides: Partial<MethodDefinition> = {}): MethodDefinition {
  return {
    httpMethod: 'GET',
    resourcePath: '/jobs/{id}',
    functionLogicalId: 'GetJob',
    apiKeyRequired: false,
    authorizationType: 'CUSTOM',
    authorizerLogicalId: 'Authorizer',
    validateBody: false,
    validateParameters: false,
    requestModels: {},
    requestParameters: {},
    ...overrides,
  };
}

function api(overrides: Partial<RestApiDefinition> = {}): RestApiDefinition {
  return {
    logicalId: 'Api',
    stage: { name: 'v1' },
    methods: [method()],
    gatewayResponses: {},
    authorizers: {
      Authorizer: {
        logicalId: 'Authorizer',
        type: 'REQUEST',
        functionLogicalId: 'AuthorizeFunction',
        identitySources: ['method.request.header.Authorization', 'method.request.querystring.tenant'],
        resultTtlSeconds: 300,
      },
    },
    usagePlans: [],
    apiKeys: [],
    template: {} as CloudFormationTemplate,
    ...overrides,
  };
}

function request(
  headers: Record<string, string> = { authorization: 'Bearer a' },
  query = 'tenant=t1',
  methodDefinition = method(),
): GatewayRequest {
  return {
    requestId: 'request-1',
    method: methodDefinition,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    query: new URLSearchParams(query),
    pathParameters: { id: '7' },
    body: '',
    sourceIp: '127.0.0.1',
  };
}

/** A Lambda runtime whose authorizer answers `results` in turn (the last one repeatedly), recording each event. */
class AuthorizerRuntime {
  readonly events: Array<{ functionId: string; event: any }> = [];
  constructor(private readonly results: InvokeResult[]) {}
  async invoke(functionId: string, event: unknown): Promise<InvokeResult> {
    this.events.push({ functionId, event });
    return this.results[Math.min(this.events.length, this.results.length) - 1];
  }
  asRuntime(): LocalLambdaRuntime {
    return this as unknown as LocalLambdaRuntime;
  }
}

function policy(
  statements: Array<{ Effect: string; Resource: string | string[]; Action?: string }>,
  context = {},
): InvokeResult {
  return {
    ok: true,
    result: {
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: statements.map((statement) => ({ Action: 'execute-api:Invoke', ...statement })),
      },
      context,
    },
  };
}

const allowAll = policy([{ Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:000000000000:local/v1/*' }], {
  orgs: 'o1',
  admin: false,
  level: 3,
});

describe('authorizerGuard (a Lambda REQUEST authorizer, as API Gateway runs it)', () => {
  it('GIVEN a method without an authorizer WHEN a request comes THEN it is let in without invoking anything', async () => {
    const runtime = new AuthorizerRuntime([allowAll]);
    const guard = authorizerGuard(api(), runtime.asRuntime());
    const outcome = await guard(request({}, '', method({ authorizerLogicalId: undefined })));
    expect(outcome).toEqual({});
    expect(runtime.events).toEqual([]);
  });

  it('GIVEN a request missing an identity source (or with it empty) WHEN checked THEN 401 without invoking the authorizer', async () => {
    const runtime = new AuthorizerRuntime([allowAll]);
    const guard = authorizerGuard(api(), runtime.asRuntime());
    expect(await guard(request({}, 'tenant=t1'))).toEqual({ type: 'UNAUTHORIZED', message: 'Unauthorized' });
    expect(await guard(request({ authorization: 'Bearer a' }, ''))).toEqual({
      type: 'UNAUTHORIZED',
      message: 'Unauthorized',
    });
    expect(await guard(request({ authorization: '' }, 'tenant=t1'))).toMatchObject({ type: 'UNAUTHORIZED' });
    expect(runtime.events).toEqual([]);
  });

  it('GIVEN an allowing policy WHEN a request comes THEN the authorizer gets a REQUEST event and its context reaches the integration as strings', async () => {
    const runtime = new AuthorizerRuntime([allowAll]);
    const outcome = await authorizerGuard(api(), runtime.asRuntime())(request());
    expect(outcome).toEqual({
      authorizer: { principalId: 'user-1', orgs: 'o1', admin: 'false', level: '3' },
      variables: { 'authorizer.principalId': 'user-1' },
    });
    expect(runtime.events).toHaveLength(1);
    expect(runtime.events[0].functionId).toBe('AuthorizeFunction');
    expect(runtime.events[0].event).toMatchObject({
      type: 'REQUEST',
      methodArn: METHOD_ARN,
      httpMethod: 'GET',
      resource: '/jobs/{id}',
      headers: { authorization: 'Bearer a' },
      queryStringParameters: { tenant: 't1' },
      pathParameters: { id: '7' },
      requestContext: { requestId: 'request-1', stage: 'v1' },
    });
  });

  it('GIVEN the authorizer throws "Unauthorized" WHEN checked THEN 401; any other failure THEN 500 authorizer failure', async () => {
    const unauthorized = new AuthorizerRuntime([
      { ok: false, error: { errorType: 'Error', errorMessage: 'Unauthorized', trace: [] } },
    ]);
    expect(await authorizerGuard(api(), unauthorized.asRuntime())(request())).toEqual({
      type: 'UNAUTHORIZED',
      message: 'Unauthorized',
    });
    const crashed = new AuthorizerRuntime([
      { ok: false, error: { errorType: 'TypeError', errorMessage: 'boom', trace: [] } },
    ]);
    expect(await authorizerGuard(api(), crashed.asRuntime())(request())).toEqual({
      type: 'AUTHORIZER_FAILURE',
      message: 'Authorizer failure',
    });
  });

  it.each([
    [
      'a policy for another method',
      [{ Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:000000000000:local/v1/POST/*' }],
    ],
    [
      'an Allow overruled by a Deny',
      [
        { Effect: 'Allow', Resource: '*' },
        { Effect: 'Deny', Resource: METHOD_ARN },
      ],
    ],
    ['an Allow of another action', [{ Effect: 'Allow', Resource: '*', Action: 'execute-api:ManageConnections' }]],
    ['no statement', []],
  ])('GIVEN %s WHEN checked THEN 403 access denied', async (_, statements) => {
    const runtime = new AuthorizerRuntime([policy(statements)]);
    expect(await authorizerGuard(api(), runtime.asRuntime())(request())).toEqual({
      type: 'ACCESS_DENIED',
      message: 'User is not authorized to access this resource',
    });
  });

  it('GIVEN a result TTL WHEN the same identity comes again THEN the cached policy answers; another identity invokes again', async () => {
    const runtime = new AuthorizerRuntime([allowAll, policy([{ Effect: 'Deny', Resource: '*' }])]);
    const guard = authorizerGuard(api(), runtime.asRuntime());
    await guard(request());
    expect(await guard(request())).toMatchObject({ authorizer: { principalId: 'user-1' } });
    expect(runtime.events).toHaveLength(1);
    expect(await guard(request({ authorization: 'Bearer b' }))).toMatchObject({ type: 'ACCESS_DENIED' });
    expect(runtime.events).toHaveLength(2);
  });

  it('GIVEN a cached policy WHEN its TTL has passed THEN the authorizer is invoked again', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    try {
      const runtime = new AuthorizerRuntime([allowAll, policy([{ Effect: 'Deny', Resource: '*' }])]);
      const guard = authorizerGuard(api(), runtime.asRuntime());
      await guard(request());
      jest.advanceTimersByTime(299_000);
      expect(await guard(request())).toMatchObject({ authorizer: { principalId: 'user-1' } });
      jest.advanceTimersByTime(2_000);
      expect(await guard(request())).toMatchObject({ type: 'ACCESS_DENIED' });
      expect(runtime.events).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('GIVEN a result TTL of 0 WHEN the same identity comes again THEN the authorizer is invoked every time', async () => {
    const noCache = api();
    const runtime = new AuthorizerRuntime([allowAll, policy([{ Effect: 'Deny', Resource: '*' }])]);
    const guard = authorizerGuard(
      { ...noCache, authorizers: { Authorizer: { ...noCache.authorizers.Authorizer, resultTtlSeconds: 0 } } },
      runtime.asRuntime(),
    );
    expect(await guard(request())).toMatchObject({ authorizer: { principalId: 'user-1' } });
    expect(await guard(request())).toMatchObject({ type: 'ACCESS_DENIED' });
    expect(runtime.events).toHaveLength(2);
  });
});

describe('apiKeyGuard (API keys and usage plans)', () => {
  const keyed = method({ apiKeyRequired: true, authorizerLogicalId: undefined });
  const withPlans = (plans: RestApiDefinition['usagePlans']) =>
    api({
      methods: [keyed],
      usagePlans: plans,
      apiKeys: [
        { logicalId: 'GoldKey', enabled: true },
        { logicalId: 'TrialKey', enabled: true },
        { logicalId: 'DisabledKey', enabled: false },
        { logicalId: 'UnplannedKey', enabled: true },
      ],
    });
  const values = { GoldKey: 'gold', TrialKey: 'trial', DisabledKey: 'disabled', UnplannedKey: 'unplanned' };
  const plans = [
    { logicalId: 'Gold', apiKeys: ['GoldKey', 'DisabledKey'] },
    {
      logicalId: 'Trial',
      rateLimit: 0.001,
      burstLimit: 2,
      quotaLimit: 3,
      quotaPeriod: 'DAY' as const,
      apiKeys: ['TrialKey'],
    },
  ];
  const withKey = (key?: string) => request(key === undefined ? {} : { 'x-api-key': key }, '', keyed);

  it('GIVEN a method that requires no key WHEN a request without one comes THEN it is let in', async () => {
    const guard = apiKeyGuard(withPlans(plans), values);
    expect(await guard(request({}, '', method({ authorizerLogicalId: undefined })))).toEqual({});
  });

  it.each([
    ['no key', undefined],
    ['an unknown key', 'nope'],
    ['a disabled key', 'disabled'],
    ['a key of no usage plan', 'unplanned'],
  ])('GIVEN %s WHEN a keyed method is called THEN 403 invalid API key', async (_, key) => {
    expect(await apiKeyGuard(withPlans(plans), values)(withKey(key))).toEqual({
      type: 'INVALID_API_KEY',
      message: 'Forbidden',
    });
  });

  it('GIVEN a valid key WHEN a keyed method is called THEN it is let in, its id in the identity and the context', async () => {
    expect(await apiKeyGuard(withPlans(plans), values)(withKey('gold'))).toEqual({
      identity: { apiKey: 'gold', apiKeyId: 'GoldKey' },
      variables: { 'identity.apiKeyId': 'GoldKey' },
    });
  });

  it("GIVEN a plan's burst of 2 WHEN 3 requests come at once THEN the third is throttled, and other keys are not", async () => {
    const guard = apiKeyGuard(withPlans(plans), values);
    expect(await guard(withKey('trial'))).toMatchObject({ identity: { apiKeyId: 'TrialKey' } });
    expect(await guard(withKey('trial'))).toMatchObject({ identity: { apiKeyId: 'TrialKey' } });
    expect(await guard(withKey('trial'))).toEqual({ type: 'THROTTLED', message: 'Too Many Requests' });
    expect(await guard(withKey('gold'))).toMatchObject({ identity: { apiKeyId: 'GoldKey' } });
  });

  it("GIVEN a plan's daily quota of 3 WHEN a 4th request comes the same day THEN it is refused as over quota", async () => {
    const unthrottled = plans.map((plan) => ({ ...plan, rateLimit: undefined, burstLimit: undefined }));
    const guard = apiKeyGuard(withPlans(unthrottled), values);
    for (let sent = 0; sent < 3; sent++)
      expect(await guard(withKey('trial'))).toMatchObject({ identity: { apiKeyId: 'TrialKey' } });
    expect(await guard(withKey('trial'))).toEqual({ type: 'QUOTA_EXCEEDED', message: 'Limit Exceeded' });
  });
});
