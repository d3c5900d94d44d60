import type { CloudFormationTemplate } from '../cloudformation-template';

export interface MethodDefinition {
  readonly httpMethod: string;
  /** The resource path template, e.g. /export/jobs/{id}. */
  readonly resourcePath: string;
  readonly operationName?: string;
  /** Logical id of the Lambda function behind an AWS_PROXY integration. */
  readonly functionLogicalId: string;
  readonly apiKeyRequired: boolean;
  readonly authorizationType: string;
  readonly authorizerLogicalId?: string;
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
  /** JSON Schema (draft 4) of the body per content type, from the method's request models. */
  readonly requestModels: Readonly<Record<string, Record<string, unknown>>>;
  /** `method.request.{header|querystring|path}.<name>` → required. */
  readonly requestParameters: Readonly<Record<string, boolean>>;
}

export interface GatewayResponseDefinition {
  readonly statusCode?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly templates: Readonly<Record<string, string>>;
}

export interface StageDefinition {
  readonly name: string;
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
  readonly accessLogFormat?: string;
}

export interface AuthorizerDefinition {
  readonly logicalId: string;
  readonly type: 'REQUEST' | 'TOKEN';
  readonly functionLogicalId: string;
  /** e.g. method.request.header.Authorization */
  readonly identitySources: readonly string[];
  readonly resultTtlSeconds: number;
}

export interface UsagePlanDefinition {
  readonly logicalId: string;
  readonly rateLimit?: number;
  readonly burstLimit?: number;
  readonly quotaLimit?: number;
  readonly quotaPeriod?: 'DAY' | 'WEEK' | 'MONTH';
  /** Logical ids of its API keys. */
  readonly apiKeys: readonly string[];
}

export interface ApiKeyDefinition {
  readonly logicalId: string;
  /** The key's value, when the template sets one (API Gateway generates it otherwise). */
  readonly value?: string;
  readonly enabled: boolean;
}

/** What the local gateway needs of an AWS::ApiGateway::RestApi and its child resources. */
export interface RestApiDefinition {
  readonly logicalId: string;
  readonly stage: StageDefinition;
  readonly methods: readonly MethodDefinition[];
  readonly gatewayResponses: Readonly<Record<string, GatewayResponseDefinition>>;
  readonly authorizers: Readonly<Record<string, AuthorizerDefinition>>;
  readonly usagePlans: readonly UsagePlanDefinition[];
  readonly apiKeys: readonly ApiKeyDefinition[];
  readonly template: CloudFormationTemplate;
}

/** Reads the REST API of a template: resource tree, methods, stage, gateway responses. */
export function readRestApi(template: CloudFormationTemplate): RestApiDefinition {
  const apis = template.ofType('AWS::ApiGateway::RestApi');
  if (apis.length !== 1) throw new Error(`Expected one AWS::ApiGateway::RestApi in the template, found ${apis.length}`);
  const [apiId] = apis[0];
  const belongsToApi = (props: Record<string, any> | undefined) => props?.RestApiId?.Ref === apiId;

  const resourcePaths = new Map<string, string>();
  const resources = template.ofType('AWS::ApiGateway::Resource').filter(([, r]) => belongsToApi(r.Properties));
  const pathOf = (logicalId: string): string => {
    const known = resourcePaths.get(logicalId);
    if (known !== undefined) return known;
    const props = template.resource(logicalId).Properties!;
    const parent = props.ParentId;
    const parentPath = parent?.['Fn::GetAtt']?.[1] === 'RootResourceId' ? '' : pathOf(parent.Ref);
    const fullPath = `${parentPath}/${props.PathPart}`;
    resourcePaths.set(logicalId, fullPath);
    return fullPath;
  };
  resources.forEach(([logicalId]) => pathOf(logicalId));

  const validators = new Map(
    template.ofType('AWS::ApiGateway::RequestValidator').map(([id, r]) => [id, r.Properties ?? {}] as const),
  );
  const models = new Map(template.ofType('AWS::ApiGateway::Model').map(([id, r]) => [id, r.Properties ?? {}] as const));

  const methods = template
    .ofType('AWS::ApiGateway::Method')
    .filter(([, r]) => belongsToApi(r.Properties))
    .map(([logicalId, resource]): MethodDefinition => {
      const props = resource.Properties!;
      const integration = props.Integration ?? {};
      if (integration.Type !== 'AWS_PROXY') {
        throw new Error(`${logicalId}: only Lambda proxy integrations run locally (found ${integration.Type})`);
      }
      const validator = props.RequestValidatorId ? validators.get(props.RequestValidatorId.Ref) : undefined;
      const resourceId = props.ResourceId;
      return {
        httpMethod: props.HttpMethod,
        resourcePath: resourceId?.['Fn::GetAtt']?.[1] === 'RootResourceId' ? '/' : pathOf(resourceId.Ref),
        operationName: props.OperationName,
        functionLogicalId: functionBehind(integration.Uri, logicalId),
        apiKeyRequired: props.ApiKeyRequired === true,
        authorizationType: props.AuthorizationType ?? 'NONE',
        authorizerLogicalId: props.AuthorizerId?.Ref,
        validateBody: validator?.ValidateRequestBody === true,
        validateParameters: validator?.ValidateRequestParameters === true,
        requestModels: Object.fromEntries(
          Object.entries((props.RequestModels ?? {}) as Record<string, { Ref: string }>).map(([contentType, ref]) => [
            contentType,
            models.get(ref.Ref)?.Schema as Record<string, unknown>,
          ]),
        ),
        requestParameters: props.RequestParameters ?? {},
      };
    });

  const stages = template.ofType('AWS::ApiGateway::Stage').filter(([, r]) => belongsToApi(r.Properties));
  if (stages.length !== 1) throw new Error(`Expected one stage of ${apiId}, found ${stages.length}`);
  const stageProps = stages[0][1].Properties!;
  const allMethods = (stageProps.MethodSettings ?? []).find(
    (setting: Record<string, unknown>) => setting.HttpMethod === '*' && setting.ResourcePath === '/*',
  );

  const gatewayResponses = Object.fromEntries(
    template
      .ofType('AWS::ApiGateway::GatewayResponse')
      .filter(([, r]) => belongsToApi(r.Properties))
      .map(([, r]) => {
        const props = r.Properties!;
        const headers = Object.fromEntries(
          Object.entries((props.ResponseParameters ?? {}) as Record<string, string>)
            .filter(([name]) => name.startsWith('gatewayresponse.header.'))
            .map(([name, value]) => [name.slice('gatewayresponse.header.'.length), value.replace(/^'|'$/g, '')]),
        );
        return [
          props.ResponseType as string,
          {
            statusCode: props.StatusCode ? Number(props.StatusCode) : undefined,
            headers,
            templates: props.ResponseTemplates ?? {},
          },
        ];
      }),
  );

  const authorizers = Object.fromEntries(
    template
      .ofType('AWS::ApiGateway::Authorizer')
      .filter(([, r]) => belongsToApi(r.Properties))
      .map(([logicalId, r]) => {
        const props = r.Properties!;
        const identitySource = template.resolve(props.IdentitySource ?? '') as string;
        return [
          logicalId,
          {
            logicalId,
            type: props.Type,
            functionLogicalId: functionBehind(props.AuthorizerUri, logicalId),
            identitySources: identitySource
              .split(',')
              .map((source) => source.trim())
              .filter(Boolean),
            resultTtlSeconds: Number(props.AuthorizerResultTtlInSeconds ?? 300),
          } satisfies AuthorizerDefinition,
        ];
      }),
  );
  const planKeys = template.ofType('AWS::ApiGateway::UsagePlanKey').map(([, r]) => r.Properties!);
  const usagePlans = template
    .ofType('AWS::ApiGateway::UsagePlan')
    .filter(([, r]) =>
      (r.Properties?.ApiStages ?? []).some((stage: { ApiId?: { Ref?: string } }) => stage.ApiId?.Ref === apiId),
    )
    .map(([logicalId, r]): UsagePlanDefinition => {
      const props = r.Properties!;
      return {
        logicalId,
        rateLimit: props.Throttle?.RateLimit,
        burstLimit: props.Throttle?.BurstLimit,
        quotaLimit: props.Quota?.Limit,
        quotaPeriod: props.Quota?.Period,
        apiKeys: planKeys.filter((key) => key.UsagePlanId?.Ref === logicalId).map((key) => key.KeyId.Ref as string),
      };
    });
  const apiKeys = template.ofType('AWS::ApiGateway::ApiKey').map(([logicalId, r]): ApiKeyDefinition => ({
    logicalId,
    ...(r.Properties?.Value && { value: String(template.resolve(r.Properties.Value)) }),
    enabled: r.Properties?.Enabled !== false,
  }));

  return {
    logicalId: apiId,
    authorizers,
    usagePlans,
    apiKeys,
    stage: {
      name: stageProps.StageName,
      throttlingRateLimit: allMethods?.ThrottlingRateLimit,
      throttlingBurstLimit: allMethods?.ThrottlingBurstLimit,
      accessLogFormat: stageProps.AccessLogSetting?.Format,
    },
    methods,
    gatewayResponses,
    template,
  };
}

/** The function an integration URI (…/functions/<arn>/invocations) points at. */
function functionBehind(uri: unknown, methodId: string): string {
  const parts = (uri as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join']?.[1] ?? [];
  for (const part of parts) {
    const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt && getAtt[1] === 'Arn') return getAtt[0];
  }
  throw new Error(`${methodId}: cannot tell which function its integration URI invokes`);
}
