import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../lambda/contract/problem';

/**
 * Errors API Gateway answers itself (before any function runs), rewritten as the same
 * application/problem+json the handlers return. `$context.error.messageString` is the quoted,
 * escaped message, so the template is valid JSON whatever the message says. Every 4xx lists
 * what is wrong in `errors[]` (one entry for the whole request, path ""), as the contract asks.
 */
interface GatewayProblem {
  readonly type: apigateway.ResponseType;
  /** The status API Gateway uses for this type (templates cannot read it, so it is written here). */
  readonly status: number;
  readonly kind: string;
  readonly title: string;
  /** Overrides the status API Gateway would use. */
  readonly statusCode?: string;
  readonly headers?: Record<string, string>;
  /** The detail, when API Gateway's own message would mislead. @default - API Gateway's message */
  readonly detail?: string;
}

const R = apigateway.ResponseType;

/** Every 4xx/5xx response type API Gateway can produce for a REST API, with its status. */
const GATEWAY_PROBLEMS: readonly GatewayProblem[] = [
  // API Gateway answers an unknown path or method with 403 "Missing Authentication Token".
  { type: R.MISSING_AUTHENTICATION_TOKEN, status: 404, statusCode: '404', kind: 'not-found', title: 'Not found' },
  { type: R.RESOURCE_NOT_FOUND, status: 404, kind: 'not-found', title: 'Not found' },
  {
    type: R.UNAUTHORIZED,
    status: 401,
    kind: 'unauthorized',
    title: 'Unauthorized',
    headers: { 'WWW-Authenticate': 'Bearer' },
  },
  { type: R.ACCESS_DENIED, status: 403, kind: 'forbidden', title: 'Forbidden' },
  { type: R.EXPIRED_TOKEN, status: 403, kind: 'forbidden', title: 'Forbidden' },
  { type: R.INVALID_SIGNATURE, status: 403, kind: 'forbidden', title: 'Forbidden' },
  { type: R.WAF_FILTERED, status: 403, kind: 'forbidden', title: 'Forbidden' },
  { type: R.INVALID_API_KEY, status: 403, kind: 'invalid-api-key', title: 'Forbidden' },
  { type: R.BAD_REQUEST_BODY, status: 400, kind: 'invalid-request', title: 'Invalid request' },
  { type: R.BAD_REQUEST_PARAMETERS, status: 400, kind: 'invalid-request', title: 'Invalid request' },
  { type: R.REQUEST_TOO_LARGE, status: 413, kind: 'request-too-large', title: 'Request too large' },
  { type: R.UNSUPPORTED_MEDIA_TYPE, status: 415, kind: 'unsupported-media-type', title: 'Unsupported media type' },
  { type: R.THROTTLED, status: 429, kind: 'throttled', title: 'Too many requests', headers: { 'Retry-After': '1' } },
  {
    type: R.QUOTA_EXCEEDED,
    status: 429,
    kind: 'quota-exceeded',
    title: 'Quota exceeded',
    headers: { 'Retry-After': '3600' },
  },
  { type: R.API_CONFIGURATION_ERROR, status: 500, kind: 'server-error', title: 'Server error' },
  { type: R.AUTHORIZER_CONFIGURATION_ERROR, status: 500, kind: 'server-error', title: 'Server error' },
  { type: R.AUTHORIZER_FAILURE, status: 500, kind: 'server-error', title: 'Server error' },
  // A Lambda proxy integration fails when Lambda refuses the invocation, which is, in practice,
  // the function being at its concurrency limit (429 TooManyRequestsException; API Gateway
  // would say 500 "Internal server error"): the caller is throttled and may retry.
  {
    type: R.INTEGRATION_FAILURE,
    status: 429,
    statusCode: '429',
    kind: 'throttled',
    title: 'Too many requests',
    headers: { 'Retry-After': '1' },
    detail: 'The service is at its concurrency limit; retry after Retry-After seconds.',
  },
  // API Gateway ends a REST API integration after 29 s.
  { type: R.INTEGRATION_TIMEOUT, status: 504, statusCode: '504', kind: 'server-error', title: 'Gateway timeout' },
];

export function addProblemGatewayResponses(api: apigateway.RestApi): void {
  for (const problem of GATEWAY_PROBLEMS) {
    api.addGatewayResponse(`${pascalCase(problem.type.responseType)}Response`, {
      type: problem.type,
      statusCode: problem.statusCode,
      responseHeaders: {
        'Content-Type': `'${PROBLEM_CONTENT_TYPE}'`,
        'Cache-Control': "'no-store'",
        ...Object.fromEntries(Object.entries(problem.headers ?? {}).map(([name, value]) => [name, `'${value}'`])),
      },
      templates: { 'application/json': problemTemplate(problem) },
    });
  }
}

function problemTemplate(problem: GatewayProblem): string {
  const detail = problem.detail === undefined ? '$context.error.messageString' : JSON.stringify(problem.detail);
  const errors = problem.status < 500 ? `[{"path":"","code":"${problem.kind}","message":${detail}}]` : '[]';
  return (
    `{"type":"${problemType(problem.kind)}","title":"${problem.title}","status":${problem.status},` +
    `"detail":${detail},"requestId":"$context.requestId","errors":${errors}}`
  );
}

function pascalCase(text: string): string {
  return text
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
