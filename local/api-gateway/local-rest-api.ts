import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import type { InvokeResult, LocalLambdaRuntime } from '../lambda-runtime';
import { gatewayResponse, renderContextTemplate, type GatewayError, type HttpResponse } from './gateway-responses';
import type { MethodDefinition, RestApiDefinition } from './rest-api-definition';
import { TokenBucket } from './token-bucket';

/** API Gateway's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** API Gateway's maximum integration timeout for a REST API (29 s). */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

/** A request on its way through the gateway, before the integration is invoked. */
export interface GatewayRequest {
  readonly requestId: string;
  readonly method: MethodDefinition;
  readonly headers: Readonly<Record<string, string>>;
  readonly multiValueHeaders: Readonly<Record<string, string[]>>;
  readonly query: URLSearchParams;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly body: string;
  readonly sourceIp: string;
}

/** What a guard (API key check, authorizer) adds to the request context when it lets a request in. */
export interface GuardOutcome {
  readonly identity?: Record<string, string | null>;
  readonly authorizer?: Record<string, unknown>;
  /** Extra `$context.*` variables for gateway responses and access logs. */
  readonly variables?: Record<string, string>;
}

/** A step that admits a request or answers it with a gateway error (e.g. 401, 403, 429). */
export type RequestGuard = (request: GatewayRequest) => Promise<GuardOutcome | GatewayError>;

export interface LocalRestApiOptions {
  /** Where access log lines (rendered from the stage's format) go. */
  readonly accessLog?: (line: string) => void;
  /** Checks run in order before validation and the integration, as API Gateway runs them. */
  readonly guards?: readonly RequestGuard[];
  /**
   * Serves the local stack's own control paths (under /__local/ at the root, outside any stage),
   * which exist only locally. Returns undefined for a path it does not know.
   */
  readonly control?: (request: ControlRequest) => Promise<HttpResponse | undefined>;
  /**
   * How long the gateway waits for an integration before answering INTEGRATION_TIMEOUT (504);
   * the invocation itself goes on, as on AWS. @default 29000 (API Gateway's limit)
   */
  readonly integrationTimeoutMs?: number;
  /**
   * Serve the stage as a custom domain's base path mapping would: at this base path (`''` for
   * the root mapping) instead of under `/<stage>` (the execute-api URL).
   * @default - under `/<stage>`
   */
  readonly customDomainBasePath?: string;
}

/** A request to one of the local stack's own control paths. */
export interface ControlRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

interface Route {
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
  readonly resourcePath: string;
  readonly staticSegments: number;
}

/**
 * Serves a REST API read from the synthesized template over HTTP, as API Gateway would: routes
 * from the resource tree (a trailing slash matches too), stage throttling, the method's request
 * validator and models, Lambda proxy events to the bundled functions, the integration timeout,
 * gateway responses and access logs from the template. Routes are served only under
 * `/<stage>/` (like the execute-api URL), or only under a custom domain's base path when one
 * is modelled (`customDomainBasePath`): a client that drops the stage gets the 404 it would
 * get on AWS.
 */
export class LocalRestApi {
  private server?: http.Server;
  private readonly routes: Route[];
  private readonly throttle?: TokenBucket;
  private readonly validators = new Map<Record<string, unknown>, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false });

  constructor(
    private readonly api: RestApiDefinition,
    private readonly lambda: LocalLambdaRuntime,
    private readonly options: LocalRestApiOptions = {},
  ) {
    addFormats(this.ajv);
    const paths = [...new Set(api.methods.map((method) => method.resourcePath))];
    this.routes = paths.map(compileRoute).sort((a, b) => b.staticSegments - a.staticSegments);
    const { throttlingRateLimit, throttlingBurstLimit } = api.stage;
    if (throttlingRateLimit !== undefined) {
      this.throttle = new TokenBucket(throttlingRateLimit, throttlingBurstLimit ?? throttlingRateLimit);
    }
  }

  /** The path under which the API's routes are served: `/<stage>`, or the custom domain's base path. */
  get basePath(): string {
    return this.options.customDomainBasePath ?? `/${this.api.stage.name}`;
  }

  /** Listens and returns the server's root URL (the API itself is under `basePath`). */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((request, response) => {
      this.handle(request)
        .catch((error: Error) => ({
          statusCode: 500,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: `Local gateway error: ${error.message}` }),
        }))
        .then((result) => {
          response.writeHead(result.statusCode, result.headers);
          response.end(result.body);
        });
    });
    // Idle connections stay open longer than clients keep them (undici: 4 s), so a client never
    // reuses one the server is closing (ECONNRESET on a busy machine).
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  private async handle(incoming: http.IncomingMessage): Promise<HttpResponse> {
    const startedAt = Date.now();
    const requestId = randomUUID();
    const url = new URL(incoming.url ?? '/', 'http://localhost');
    const prefix = this.basePath;
    // The path below the stage (or the custom domain's base path); undefined outside it.
    const path =
      url.pathname === prefix || url.pathname.startsWith(`${prefix}/`) || prefix === ''
        ? url.pathname.slice(prefix.length) || '/'
        : undefined;
    const variables: Record<string, string | undefined> = {
      requestId,
      extendedRequestId: requestId,
      requestTime: new Date(startedAt).toISOString(),
      'identity.sourceIp': incoming.socket.remoteAddress ?? '127.0.0.1',
      'identity.userAgent': incoming.headers['user-agent'],
      httpMethod: incoming.method,
      // What the client sent: with the stage on the execute-api URL, with the base path on a custom domain.
      path: url.pathname,
      stage: this.api.stage.name,
    };
    const finish = (response: HttpResponse, extra: Record<string, string | undefined> = {}): HttpResponse => {
      Object.assign(variables, extra, {
        status: String(response.statusCode),
        responseLength: String(Buffer.byteLength(response.body)),
        responseLatency: String(Date.now() - startedAt),
      });
      if (this.api.stage.accessLogFormat && this.options.accessLog) {
        this.options.accessLog(renderAccessLogLine(this.api.stage.accessLogFormat, variables));
      }
      return { ...response, headers: { ...response.headers, 'x-amzn-requestid': requestId } };
    };
    const fail = (error: GatewayError) =>
      finish(gatewayResponse(this.api, error, variables), {
        'error.message': error.message,
        'error.responseType': error.type,
      });

    if (url.pathname.startsWith('/__local/') && this.options.control) {
      const handled = await this.options.control({
        method: incoming.method ?? 'GET',
        path: url.pathname,
        body: (await readBody(incoming)) ?? '',
        headers: incoming.headers,
      });
      if (handled) return handled;
    }
    if (path === undefined)
      return fail({ type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
    const match = this.match(path, incoming.method ?? 'GET');
    if (match === 'malformed') {
      // API Gateway refuses a path whose percent-encoding cannot be decoded before routing it.
      return fail({
        type: 'BAD_REQUEST_PARAMETERS',
        message: 'Invalid request path: malformed percent-encoding',
      });
    }
    if (!match) return fail({ type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
    const { method, pathParameters } = match;
    variables.resourcePath = method.resourcePath;

    const body = await readBody(incoming);
    if (body === undefined) return fail({ type: 'REQUEST_TOO_LARGE', message: 'Request Too Long' });
    if (this.throttle && !this.throttle.tryTake()) return fail({ type: 'THROTTLED', message: 'Too Many Requests' });

    const { headers, multiValueHeaders } = collectHeaders(incoming.rawHeaders);
    const request: GatewayRequest = {
      requestId,
      method,
      headers,
      multiValueHeaders,
      query: url.searchParams,
      pathParameters,
      body,
      sourceIp: variables['identity.sourceIp']!,
    };
    const outcomes: GuardOutcome[] = [];
    for (const guard of this.options.guards ?? []) {
      const outcome = await guard(request);
      if ('type' in outcome) return fail(outcome as GatewayError);
      outcomes.push(outcome);
      Object.assign(variables, outcome.variables);
    }
    const invalid = this.validate(request);
    if (invalid) return fail(invalid);

    // On a custom domain, API Gateway passes the base path in `path` too (it strips only the stage).
    const eventPath = this.options.customDomainBasePath === undefined ? path : url.pathname;
    const event = proxyEvent(request, eventPath, this.api.stage.name, variables, outcomes);
    const integrationStart = Date.now();
    const invocation = await this.invokeWithin(method.functionLogicalId, event);
    variables['integration.latency'] = String(Date.now() - integrationStart);
    if (invocation === 'timeout') {
      return fail({ type: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' });
    }
    if (!invocation.ok) {
      if (invocation.throttled) {
        // Lambda's 429 TooManyRequestsException reaches the client as an integration failure.
        return fail({ type: 'INTEGRATION_FAILURE', message: 'Internal server error' });
      }
      return finish(internalServerError(), { 'integration.error': invocation.error.errorMessage });
    }
    return finish(toHttpResponse(invocation.result));
  }

  /**
   * A synchronous invocation, as API Gateway makes it: refused at once when the function is at
   * its concurrency limit, given up (not stopped) at the integration timeout.
   */
  private async invokeWithin(functionId: string, event: unknown): Promise<InvokeResult | 'timeout'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.lambda.invoke(functionId, event, { whenBusy: 'throttle' }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private match(
    path: string,
    httpMethod: string,
  ): { method: MethodDefinition; pathParameters: Record<string, string> } | 'malformed' | undefined {
    const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
    for (const route of this.routes) {
      const found = route.pattern.exec(trimmed);
      if (!found) continue;
      const method = this.api.methods.find(
        (candidate) =>
          candidate.resourcePath === route.resourcePath &&
          (candidate.httpMethod === httpMethod || candidate.httpMethod === 'ANY'),
      );
      if (!method) return undefined;
      const values = route.parameterNames.map((_, index) => decodePathSegment(found[index + 1]));
      if (values.some((value) => value === undefined)) return 'malformed';
      const pathParameters = Object.fromEntries(route.parameterNames.map((name, index) => [name, values[index]!]));
      return { method, pathParameters };
    }
    return undefined;
  }

  /** The method's request validator, as API Gateway applies it. */
  private validate(request: GatewayRequest): GatewayError | undefined {
    const { method } = request;
    if (method.validateParameters) {
      const missing = Object.entries(method.requestParameters)
        .filter(([, required]) => required)
        .map(([name]) => name.split('.'))
        .filter(([, , location, name]) => {
          if (location === 'header') return request.headers[name.toLowerCase()] === undefined;
          if (location === 'querystring') return !request.query.has(name);
          return request.pathParameters[name] === undefined;
        })
        .map(([, , , name]) => name);
      if (missing.length > 0) {
        return {
          type: 'BAD_REQUEST_PARAMETERS',
          message: `Missing required request parameters: [${missing.join(', ')}]`,
        };
      }
    }
    if (method.validateBody) {
      const contentType = (request.headers['content-type'] ?? 'application/json').split(';')[0].trim();
      const schema = method.requestModels[contentType] ?? method.requestModels.$default;
      if (!schema) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(request.body);
      } catch {
        return { type: 'BAD_REQUEST_BODY', message: 'Invalid request body', validationErrorString: 'Invalid JSON' };
      }
      const check = this.validatorFor(schema);
      if (!check(json)) {
        const problems = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
        return {
          type: 'BAD_REQUEST_BODY',
          message: 'Invalid request body',
          validationErrorString: `[${problems.join(', ')}]`,
        };
      }
    }
    return undefined;
  }

  private validatorFor(schema: Record<string, unknown>): ValidateFunction {
    let check = this.validators.get(schema);
    if (!check) {
      check = this.ajv.compile(schema) as ValidateFunction;
      this.validators.set(schema, check);
    }
    return check;
  }
}

/** A path parameter as API Gateway passes it (decoded); undefined when its percent-encoding is malformed. */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * An access log line: API Gateway escapes what it substitutes into a JSON format, so a value
 * (a User-Agent, a path) can never close its string and add a field.
 */
function renderAccessLogLine(format: string, variables: Readonly<Record<string, string | undefined>>): string {
  if (!format.trimStart().startsWith('{')) return renderContextTemplate(format, variables);
  const escaped = Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      value === undefined ? undefined : JSON.stringify(value).slice(1, -1),
    ]),
  );
  return renderContextTemplate(format, escaped);
}

function compileRoute(resourcePath: string): Route {
  const segments = resourcePath.split('/').filter(Boolean);
  const parameterNames: string[] = [];
  const pattern = segments
    .map((segment) => {
      const parameter = /^\{(.+?)(\+)?\}$/.exec(segment);
      if (!parameter) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(parameter[1]);
      return parameter[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return {
    pattern: new RegExp(`^/${pattern}$`),
    parameterNames,
    resourcePath,
    staticSegments: segments.filter((segment) => !segment.startsWith('{')).length,
  };
}

async function readBody(incoming: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Headers as API Gateway passes them: names as the client sent them, last value wins in `headers`. */
function collectHeaders(rawHeaders: string[]): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const [name, value] = [rawHeaders[index], rawHeaders[index + 1]];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers: lowerCaseIndex(headers), multiValueHeaders };
}

/** Keeps the client's spelling and adds a lower-case alias so lookups by lower-case name work. */
function lowerCaseIndex(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = { ...headers };
  for (const [name, value] of Object.entries(headers)) {
    Object.defineProperty(result, name.toLowerCase(), { value, enumerable: name.toLowerCase() === name });
  }
  return result;
}

/** The Lambda proxy integration event (payload format 1.0) of a REST API. */
function proxyEvent(
  request: GatewayRequest,
  path: string,
  stage: string,
  variables: Record<string, string | undefined>,
  outcomes: readonly GuardOutcome[],
): Record<string, unknown> {
  const queryNames = [...new Set(request.query.keys())];
  const headerEntries = Object.entries(request.headers);
  const identity = Object.assign(
    { sourceIp: request.sourceIp, userAgent: request.headers['user-agent'] ?? null, apiKey: null, apiKeyId: null },
    ...outcomes.map((outcome) => outcome.identity ?? {}),
  );
  const authorizer = Object.assign({}, ...outcomes.map((outcome) => outcome.authorizer ?? {}));
  return {
    resource: request.method.resourcePath,
    path,
    httpMethod: request.method.httpMethod === 'ANY' ? variables.httpMethod : request.method.httpMethod,
    headers: headerEntries.length ? Object.fromEntries(headerEntries) : null,
    multiValueHeaders: headerEntries.length ? request.multiValueHeaders : null,
    queryStringParameters: queryNames.length
      ? Object.fromEntries(queryNames.map((name) => [name, request.query.getAll(name).at(-1)!]))
      : null,
    multiValueQueryStringParameters: queryNames.length
      ? Object.fromEntries(queryNames.map((name) => [name, request.query.getAll(name)]))
      : null,
    pathParameters: Object.keys(request.pathParameters).length ? request.pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      resourceId: request.method.resourcePath,
      resourcePath: request.method.resourcePath,
      httpMethod: variables.httpMethod,
      path: variables.path,
      stage,
      protocol: 'HTTP/1.1',
      requestId: request.requestId,
      extendedRequestId: request.requestId,
      requestTime: variables.requestTime,
      requestTimeEpoch: Date.parse(variables.requestTime!),
      domainName: 'localhost',
      identity,
      ...(Object.keys(authorizer).length && { authorizer }),
    },
    body: request.body === '' ? null : request.body,
    isBase64Encoded: false,
  };
}

/** A Lambda proxy result as an HTTP response; a malformed one is API Gateway's 502. */
function toHttpResponse(result: unknown): HttpResponse {
  const value = result as {
    statusCode?: unknown;
    headers?: unknown;
    multiValueHeaders?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  if (!value || typeof value !== 'object' || !Number.isInteger(value.statusCode)) return internalServerError();
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries((value.multiValueHeaders ?? {}) as Record<string, unknown[]>)) {
    headers[name.toLowerCase()] = values.map(String).join(', ');
  }
  for (const [name, header] of Object.entries((value.headers ?? {}) as Record<string, unknown>)) {
    headers[name.toLowerCase()] = String(header);
  }
  const rawBody = typeof value.body === 'string' ? value.body : '';
  const body = value.isBase64Encoded ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  return { statusCode: value.statusCode as number, headers, body };
}

function internalServerError(): HttpResponse {
  return {
    statusCode: 502,
    headers: { 'content-type': 'application/json' },
    body: '{"message": "Internal server error"}',
  };
}
