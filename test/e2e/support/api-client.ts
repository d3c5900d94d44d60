import { randomUUID } from 'node:crypto';
import type { JobRecord } from '../../../lambda/contract/job-record';

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
  if (!url)
    throw new Error('EXPORT_JOBS_URL is not set: run the e2e tests through jest (globalSetup starts the stack)');
  return url;
}

/** A tenant of its own, so that tests never see each other's jobs. */
export function newTenant(label = 'org'): TestTenant {
  return { orgId: `${label}-${randomUUID().slice(0, 8)}@AdobeOrg`, sandboxName: 'prod' };
}

export const MINIMAL_JOB = {
  destination: { datasetId: '5b7c86968f7b6501e21ba9df' },
  schema: { name: '_xdm.context.profile' },
};

/** One HTTP request to the local stack, exactly as a client would send it. */
export async function request<T = any>(
  method: string,
  path: string,
  options: {
    tenant?: TestTenant;
    headers?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
    baseUrl?: string;
  } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {
    'x-api-key': 'e2e-key',
    ...(options.tenant && { 'x-gw-ims-org-id': options.tenant.orgId, 'x-sandbox-name': options.tenant.sandboxName }),
    ...(options.body !== undefined && { 'content-type': 'application/json' }),
    ...options.headers,
  };
  const response = await fetch(`${options.baseUrl ?? baseUrl()}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
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
  constructor(readonly tenant: TestTenant = newTenant()) {}

  create(body: unknown = MINIMAL_JOB, headers: Record<string, string> = {}) {
    return request<JobRecord>('POST', '/export/jobs', { tenant: this.tenant, body, headers });
  }

  async createOk(body: unknown = MINIMAL_JOB): Promise<JobRecord> {
    const response = await this.create(body);
    if (response.status !== 200) throw new Error(`create failed: ${response.status} ${response.text}`);
    return response.body;
  }

  get(id: number | string) {
    return request<JobRecord>('GET', `/export/jobs/${id}`, { tenant: this.tenant });
  }

  list(query = '') {
    return request('GET', `/export/jobs${query}`, { tenant: this.tenant });
  }

  delete(id: number | string) {
    return request('DELETE', `/export/jobs/${id}`, { tenant: this.tenant });
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
  return response.body as {
    errors: Array<{ path: string; code: string; message: string }>;
    detail: string;
    requestId: string;
  };
}
