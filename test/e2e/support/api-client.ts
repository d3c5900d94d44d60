import { randomUUID } from 'node:crypto';
import type { FileFormat } from '../../../lambda/contract/file-format';
import type { JobRecord } from '../../../lambda/contract/job-record';
import { XDM_PROFILE_UNION } from '../../../lambda/contract/xdm-schemas';
import type { DevIssuer } from '../../../local/dev-issuer';
import { loadDevIssuer, readLocalService, standardPlanApiKey } from '../../../bin/support/local-client';

export interface TestTenant {
  readonly orgId: string;
  readonly sandboxName: string;
}

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

/** The URL of the local stack that globalSetup started. */
export function baseUrl(): string {
  const url = process.env.EXPORT_JOBS_URL;
  if (!url) {
    throw new Error('EXPORT_JOBS_URL is not set: run the e2e tests through jest (globalSetup starts the stack)');
  }
  return url;
}

/** The data folder of the stack that globalSetup started. */
export function dataDirectory(): string {
  return process.env.EXPORT_JOBS_DATA_DIR!;
}

const issuers = new Map<string, Promise<DevIssuer>>();
const tokens = new Map<string, Promise<string>>();

/** The development issuer of the stack kept in `directory` (its key pair is there). */
export function issuerOf(directory = dataDirectory()): Promise<DevIssuer> {
  if (!issuers.has(directory)) issuers.set(directory, loadDevIssuer(directory));
  return issuers.get(directory)!;
}

/** A valid token granting exactly this tenant, minted once per stack and tenant. */
export function tokenFor(tenant: TestTenant, directory = dataDirectory()): Promise<string> {
  const key = `${directory}|${tenant.orgId}|${tenant.sandboxName}`;
  if (!tokens.has(key)) {
    tokens.set(
      key,
      issuerOf(directory).then((issuer) => issuer.mint({ orgs: [tenant.orgId], sandboxes: [tenant.sandboxName] })),
    );
  }
  return tokens.get(key)!;
}

/** The API key of the Standard plan of the stack kept in `directory`. */
export function apiKeyOf(directory = dataDirectory()): string {
  return standardPlanApiKey(readLocalService(directory).apiKeys);
}

/** A tenant of its own, so that tests never see each other's jobs. */
export function newTenant(label = 'org'): TestTenant {
  return { orgId: `${label}-${randomUUID().slice(0, 8)}@AdobeOrg`, sandboxName: 'prod' };
}

/** Whom the default token grants when a request names no tenant. */
const DEFAULT_GRANTEE: TestTenant = { orgId: 'org@AdobeOrg', sandboxName: 'prod' };

/** The smallest valid create request, into `datasetId` (a dataset of the profile schema). */
export function minimalJob(datasetId: string) {
  return { destination: { datasetId }, schema: { name: XDM_PROFILE_UNION.exportName } };
}

/**
 * The body of POST /dataSets for a dataset of the profile schema. The tests' datasets are
 * JSON Lines unless a test asks for another format (the batch reader of these tests,
 * `support/batches.ts`, reads both: Parquet with DuckDB).
 */
export function datasetRequest(format: FileFormat = 'json', name = 'e2e dataset') {
  return { name, schemaRef: { id: XDM_PROFILE_UNION.id }, fileDescription: { format } };
}

/** The id in POST /dataSets' answer `["@/dataSets/<id>"]`. */
export function createdDatasetId(response: ApiResponse): string {
  const id = /^@\/dataSets\/([0-9a-f]{24})$/.exec(Array.isArray(response.body) ? response.body[0] : '')?.[1];
  if (response.status !== 201 || !id) throw new Error(`dataset not created: ${response.status} ${response.text}`);
  return id;
}

/**
 * Creates a dataset through the API, as a client must before it exports (in the tenant and on
 * the stack that `options` name), and returns its id.
 */
export async function createDataset(options: RequestOptions = {}, format: FileFormat = 'json'): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const response = await request('POST', '/dataSets', { ...options, body: datasetRequest(format) });
    if (response.status !== 429 || attempt === 5) return createdDatasetId(response);
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? '1') * 1000));
  }
}

export interface RequestOptions {
  /** Sent as x-gw-ims-org-id and x-sandbox-name, and granted by the default token. */
  readonly tenant?: TestTenant;
  /** The bearer token; null sends none. @default a token granting `tenant` (or a default one) */
  readonly token?: string | null;
  /** The API key; null sends none. @default the Standard plan's key */
  readonly apiKey?: string | null;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly baseUrl?: string;
  /** The data folder of the stack (for its issuer and keys). @default the globalSetup stack's */
  readonly dataDirectory?: string;
  /** What fetch does with a redirect. @default 'follow' */
  readonly redirect?: 'follow' | 'manual' | 'error';
}

/** One HTTP request to the local stack, exactly as a client sends it: token, API key, tenant. */
export async function request<T = any>(
  method: string,
  urlPath: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const directory = options.dataDirectory ?? dataDirectory();
  const token =
    options.token === undefined ? await tokenFor(options.tenant ?? DEFAULT_GRANTEE, directory) : options.token;
  const apiKey = options.apiKey === undefined ? apiKeyOf(directory) : options.apiKey;
  const headers: Record<string, string> = {
    ...(token !== null && { authorization: `Bearer ${token}` }),
    ...(apiKey !== null && { 'x-api-key': apiKey }),
    ...(options.tenant && { 'x-gw-ims-org-id': options.tenant.orgId, 'x-sandbox-name': options.tenant.sandboxName }),
    ...(options.body !== undefined && { 'content-type': 'application/json' }),
    ...options.headers,
  };
  const response = await fetch(`${options.baseUrl ?? baseUrl()}${urlPath}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    ...(options.redirect && { redirect: options.redirect }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the test sees the text.
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

/** The API as one tenant uses it. */
export class TenantClient {
  private defaultDataset?: Promise<string>;

  /**
   * `stack` names another stack than the one globalSetup started (its URL and data folder).
   */
  constructor(
    readonly tenant: TestTenant = newTenant(),
    private readonly stack: Pick<RequestOptions, 'baseUrl' | 'dataDirectory'> = {},
  ) {}

  /** A request of this tenant to this client's stack. */
  private send<T = any>(method: string, urlPath: string, options: RequestOptions = {}) {
    return request<T>(method, urlPath, { ...this.stack, tenant: this.tenant, ...options });
  }

  /** The tenant's dataset for jobs that name none: created through the API on first use (JSON Lines). */
  datasetId(): Promise<string> {
    this.defaultDataset ??= createDataset({ ...this.stack, tenant: this.tenant });
    return this.defaultDataset;
  }

  /** A new dataset of the tenant in `format`. */
  newDataset(format: FileFormat = 'json'): Promise<string> {
    return createDataset({ ...this.stack, tenant: this.tenant }, format);
  }

  /** The smallest valid create request, into the tenant's dataset. */
  async minimalJob() {
    return minimalJob(await this.datasetId());
  }

  /** POST /export/jobs with `body` (the smallest valid request into the tenant's dataset when absent). */
  async create(body?: unknown, headers: Record<string, string> = {}) {
    const sent = body === undefined ? await this.minimalJob() : body;
    return this.send<JobRecord>('POST', '/export/jobs', { body: sent, headers });
  }

  /** Creates a job as a well-behaved client does: a throttled attempt (429) is retried after Retry-After. */
  async createOk(body?: unknown): Promise<JobRecord> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.create(body);
      if (response.status === 200) return response.body;
      if (response.status !== 429 || attempt === 5) {
        throw new Error(`create failed: ${response.status} ${response.text}`);
      }
      const retryAfterSeconds = Number(response.headers.get('retry-after') ?? '1');
      await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
    }
  }

  get(id: number | string) {
    return this.send<JobRecord>('GET', `/export/jobs/${id}`);
  }

  list(query = '') {
    return this.send('GET', `/export/jobs${query}`);
  }

  /**
   * Follows a link (link.next, _page.next) verbatim, as a client does: resolved against the URL
   * of the list it came from (`listPath`).
   */
  follow(link: string, listPath = '/export/jobs') {
    return this.send('GET', '', { baseUrl: new URL(link, `${this.stack.baseUrl ?? baseUrl()}${listPath}`).href });
  }

  delete(id: number | string) {
    return this.send('DELETE', `/export/jobs/${id}`);
  }

  createDatasetRequest(body: unknown) {
    return this.send('POST', '/dataSets', { body });
  }

  getDataset(id: string) {
    return this.send('GET', `/dataSets/${id}`);
  }

  listDatasets(query = '') {
    return this.send('GET', `/dataSets${query}`);
  }
}

/** Runs `tasks` with at most `concurrency` in flight. */
export async function inParallel<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

/** Asserts an application/problem+json error with the given status and returns its body. */
export function expectProblem(response: ApiResponse, status: number) {
  expect({ status: response.status, contentType: response.headers.get('content-type') }).toEqual({
    status,
    contentType: 'application/problem+json',
  });
  expect(response.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expect(response.body.requestId).toEqual(expect.any(String));
  expect(Array.isArray(response.body.errors)).toBe(true);
  // The contract: every 4xx says what is wrong, one entry per problem (path "" for the whole request).
  if (status < 500) {
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.any(String), code: expect.any(String) })]),
    );
  }
  return response.body as {
    errors: Array<{ path: string; code: string; message: string }>;
    detail: string;
    requestId: string;
  };
}
