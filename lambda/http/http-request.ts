import type { APIGatewayProxyEvent } from 'aws-lambda';

/** What a handler needs of an API Gateway proxy event, with header names lower-cased. */
export interface HttpRequest {
  readonly method: string;
  /** The path below the stage, as API Gateway passes it in `path`. */
  readonly path: string;
  /**
   * The path as the client sent it: with the stage on the execute-api URL, with the base path
   * mapping on a custom domain (API Gateway's `requestContext.path`). Links to the API's own
   * resources are built from it, so they work however the API is reached.
   */
  readonly clientPath: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Every value of every query parameter, as sent. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly body?: string;
  /** API Gateway's request id: logged, returned in problems and recorded on created jobs. */
  readonly requestId: string;
  /** What the API's authorizer verified (requestContext.authorizer); absent without one. */
  readonly authorizer?: Readonly<Record<string, unknown>>;
}

export function toHttpRequest(event: APIGatewayProxyEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values) query[name] = values;
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !query[name]) query[name] = [value];
  }
  const body =
    event.body === null || event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return {
    method: event.httpMethod,
    path: event.path,
    clientPath: event.requestContext?.path || event.path,
    headers,
    query,
    pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
    ...(body !== undefined && { body }),
    requestId: event.requestContext?.requestId ?? 'unknown',
    ...(event.requestContext?.authorizer && { authorizer: event.requestContext.authorizer as Record<string, unknown> }),
  };
}
