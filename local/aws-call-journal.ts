import * as http from 'node:http';
import { LOCAL_ENVIRONMENT } from './cloudformation-template';

/**
 * One kind of AWS API call a caller made on the local stack, as IAM would see it in AWS: the
 * caller (the logical id of the function or state machine whose role signs it), the API
 * operation, the IAM action it needs and the ARN of the resource IAM evaluates it against.
 */
export interface AwsCall {
  readonly caller: string;
  /** The API operation, e.g. `UploadPart` (one action may serve several). */
  readonly operation: string;
  /** The IAM action, e.g. `s3:PutObject`. */
  readonly action: string;
  readonly resource: string;
  /** How many times it was made. */
  readonly count: number;
}

/** What one request asks of IAM: its operation, action and resource (a batch request may name several). */
export type RequestedAccess = Omit<AwsCall, 'caller' | 'count'>;

/** A request as it reached an emulator. */
export interface SignedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Every kind of AWS call made through the local stack's emulators, by caller: what the
 * IAM-simulation test checks against each caller's role in the template. Kept as distinct
 * calls with a count, so a long export does not grow it.
 */
export class AwsCallJournal {
  private readonly calls = new Map<string, AwsCall>();

  record(caller: string, access: RequestedAccess): void {
    const key = JSON.stringify([caller, access.operation, access.action, access.resource]);
    const known = this.calls.get(key);
    this.calls.set(key, { caller, ...access, count: (known?.count ?? 0) + 1 });
  }

  list(): AwsCall[] {
    return [...this.calls.values()];
  }
}

/**
 * The access key id of a SigV4-signed request (`Credential=<key id>/<date>/<region>/<service>/aws4_request`),
 * in its Authorization header or, for a presigned URL, in its `X-Amz-Credential` parameter.
 * Each local function signs with its own key id, so the key id names the caller: a presigned
 * download is authorised as a call of the function that signed it, as S3 does.
 */
export function accessKeyIdOf(headers: http.IncomingHttpHeaders, url?: URL): string | undefined {
  const signed = /Credential=([^/,\s]+)\//.exec(String(headers.authorization ?? ''))?.[1];
  return signed ?? url?.searchParams.get('X-Amz-Credential')?.split('/')[0];
}

/**
 * An HTTP proxy in front of an emulator that records, for each signed request, the calls it
 * asks of IAM (`describe`) under its caller, then passes it on unchanged (the Host header
 * too, so signatures still verify).
 */
export async function startRecordingProxy(
  upstream: string,
  describe: (request: SignedRequest) => RequestedAccess[],
  journal: AwsCallJournal,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? '/', 'http://local');
      const caller = accessKeyIdOf(request.headers, url);
      if (caller) {
        for (const access of describe({ method: request.method ?? 'GET', url, headers: request.headers, body })) {
          journal.record(caller, access);
        }
      }
      const forwarded = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forwarded.on('error', (error) => {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(error.message);
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const { partition, region, accountId } = LOCAL_ENVIRONMENT;

function jsonBody(request: SignedRequest): Record<string, any> {
  try {
    return JSON.parse(request.body.toString('utf8') || '{}');
  } catch {
    return {};
  }
}

/** The operation named by an `X-Amz-Target` header (`DynamoDB_20120810.Query` → `Query`). */
function targetOperation(request: SignedRequest): string {
  return String(request.headers['x-amz-target'] ?? '').replace(/^.*\./, '');
}

/** A table name or ARN as the request gives it → the table's ARN. */
function tableArn(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:')
    ? nameOrArn
    : `arn:${partition}:dynamodb:${region}:${accountId}:table/${nameOrArn}`;
}

/** The write a transaction item or batch request performs on its table. */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/**
 * DynamoDB (AWS JSON 1.0): the action is the operation, on the table's ARN, or on the index's
 * (`<table ARN>/index/<name>`) for a Query or Scan of an index; batch and transaction requests
 * are evaluated per table, a transaction per item's own action.
 */
export function dynamoDbAccess(request: SignedRequest): RequestedAccess[] {
  const operation = targetOperation(request);
  const body = jsonBody(request);
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
    return Object.keys(body.RequestItems ?? {}).map((table) => ({
      operation,
      action: `dynamodb:${operation}`,
      resource: tableArn(table),
    }));
  }
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return (body.TransactItems ?? []).flatMap((item: Record<string, { TableName: string }>) =>
      Object.entries(item).map(([kind, request]) => ({
        operation,
        action: `dynamodb:${TRANSACT_ITEM_ACTIONS[kind] ?? kind}`,
        resource: tableArn(request.TableName),
      })),
    );
  }
  const table = body.TableName ?? body.TableArn ?? body.ResourceArn;
  if (!table) return [{ operation, action: `dynamodb:${operation}`, resource: '*' }];
  const index = (operation === 'Query' || operation === 'Scan') && body.IndexName ? `/index/${body.IndexName}` : '';
  return [{ operation, action: `dynamodb:${operation}`, resource: `${tableArn(table)}${index}` }];
}

/**
 * S3 (REST, path-style `/<bucket>/<key>`): the operation from method, path and query, and the
 * action IAM checks for it, on the object's ARN or the bucket's (listing). A multipart upload's
 * steps are `s3:PutObject`, as in AWS.
 */
export function s3Access(request: SignedRequest): RequestedAccess[] {
  const [, bucket = '', ...keyParts] = request.url.pathname.split('/');
  const key = keyParts.map(decodeURIComponent).join('/');
  const query = request.url.searchParams;
  const method = request.method.toUpperCase();
  const object = `arn:${partition}:s3:::${bucket}/${key}`;
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const access = (operation: string, action: string, resource: string) => [{ operation, action, resource }];
  if (!key) {
    if (method === 'GET' && query.has('uploads'))
      return access('ListMultipartUploads', 's3:ListBucketMultipartUploads', bucketArn);
    if (method === 'GET' || method === 'HEAD')
      return access(method === 'GET' ? 'ListObjects' : 'HeadBucket', 's3:ListBucket', bucketArn);
    if (method === 'POST' && query.has('delete')) return access('DeleteObjects', 's3:DeleteObject', `${bucketArn}/*`);
    return access(`${method} bucket`, `s3:${method}Bucket`, bucketArn);
  }
  if (method === 'POST' && query.has('uploads')) return access('CreateMultipartUpload', 's3:PutObject', object);
  if (method === 'PUT' && query.has('uploadId')) return access('UploadPart', 's3:PutObject', object);
  if (method === 'POST' && query.has('uploadId')) return access('CompleteMultipartUpload', 's3:PutObject', object);
  if (method === 'DELETE' && query.has('uploadId'))
    return access('AbortMultipartUpload', 's3:AbortMultipartUpload', object);
  if (method === 'GET' && query.has('uploadId')) return access('ListParts', 's3:ListMultipartUploadParts', object);
  if (method === 'PUT') return access('PutObject', 's3:PutObject', object);
  if (method === 'GET' || method === 'HEAD')
    return access(method === 'GET' ? 'GetObject' : 'HeadObject', 's3:GetObject', object);
  if (method === 'DELETE') return access('DeleteObject', 's3:DeleteObject', object);
  return access(`${method} object`, `s3:${method}Object`, object);
}

/** Step Functions (AWS JSON 1.0): the action on the state machine or execution the request names. */
export function stepFunctionsAccess(request: SignedRequest): RequestedAccess[] {
  const operation = targetOperation(request);
  const body = jsonBody(request);
  const resource = body.executionArn ?? body.stateMachineArn ?? body.mapRunArn ?? '*';
  return [{ operation, action: `states:${operation}`, resource }];
}

/** EventBridge (AWS JSON 1.1): PutEvents on each bus its entries name (the default bus when none). */
export function eventBridgeAccess(request: SignedRequest): RequestedAccess[] {
  const operation = targetOperation(request);
  const buses = new Set<string>(
    (jsonBody(request).Entries ?? []).map(({ EventBusName }: { EventBusName?: string }) =>
      EventBusName?.startsWith('arn:')
        ? EventBusName
        : `arn:${partition}:events:${region}:${accountId}:event-bus/${EventBusName ?? 'default'}`,
    ),
  );
  return [...buses].map((resource) => ({ operation, action: `events:${operation}`, resource }));
}
