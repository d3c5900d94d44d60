import type { RestApiDefinition } from './rest-api-definition';

/** Status API Gateway gives each response type when the API does not override it. */
const DEFAULT_STATUS: Readonly<Record<string, number>> = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
};

export interface GatewayError {
  readonly type: string;
  readonly message: string;
  readonly validationErrorString?: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Substitutes `$context.x.y` variables the way API Gateway does in gateway responses and
 * access log formats ("simple variable substitution", no VTL).
 */
export function renderContextTemplate(template: string, context: Readonly<Record<string, string | undefined>>): string {
  return template.replace(
    /\$(?:\{context\.([A-Za-z0-9_.]+)\}|context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*))/g,
    (_, a, b) => {
      return context[(a ?? b) as string] ?? '-';
    },
  );
}

/** The response API Gateway sends for an error it raises itself, customised by the API's gateway responses. */
export function gatewayResponse(
  api: RestApiDefinition,
  error: GatewayError,
  context: Readonly<Record<string, string | undefined>>,
): HttpResponse {
  const defaultStatus = DEFAULT_STATUS[error.type] ?? 500;
  const definition =
    api.gatewayResponses[error.type] ?? api.gatewayResponses[defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
  const template = definition?.templates['application/json'] ?? '{"message":$context.error.messageString}';
  const variables = {
    ...context,
    'error.message': error.message,
    'error.messageString': JSON.stringify(error.message),
    'error.responseType': error.type,
    'error.validationErrorString': error.validationErrorString ?? '',
  };
  return {
    statusCode: definition?.statusCode ?? defaultStatus,
    headers: { 'content-type': 'application/json', ...lowerCaseKeys(definition?.headers ?? {}) },
    body: renderContextTemplate(template, variables),
  };
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
