import * as os from 'node:os';
import type { ExportJobsServiceProps } from '../../lib/export-jobs-service';
import { LocalRestApi, type LocalRestApiOptions } from '../../local/api-gateway/local-rest-api';
import { readRestApi, type RestApiDefinition } from '../../local/api-gateway/rest-api-definition';
import { CloudFormationTemplate } from '../../local/cloudformation-template';
import type { InvokeOptions, InvokeResult, LocalLambdaRuntime } from '../../local/lambda-runtime';
import { synthService } from '../construct/support/synth';

/** A function runtime that records events and answers with `result` (or never, for a hung function). */
class RecordingRuntime {
  readonly events: Array<{ functionId: string; event: any; options: InvokeOptions | undefined }> = [];
  constructor(private readonly result: InvokeResult | 'never') {}
  async invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult> {
    this.events.push({ functionId, event, options });
    if (this.result === 'never') return new Promise(() => undefined);
    return this.result;
  }
}

const OK: InvokeResult = {
  ok: true,
  result: { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' },
};

const templates = new Map<string, RestApiDefinition>();

/** The REST API of the service synthesized with `props` (synthesized once per set of props). */
function restApiOf(props: ExportJobsServiceProps): RestApiDefinition {
  const key = JSON.stringify(props);
  if (!templates.has(key)) {
    const { template } = synthService(props);
    templates.set(key, readRestApi(new CloudFormationTemplate(template.toJSON() as never, 'TestStack', os.tmpdir())));
  }
  return templates.get(key)!;
}

/** The gateway of the service's template; `url` is where its API is served (`<root>/<stage>`). */
async function startGateway(
  props: ExportJobsServiceProps,
  result: InvokeResult | 'never' = OK,
  options: Pick<LocalRestApiOptions, 'integrationTimeoutMs' | 'customDomainBasePath'> = {},
) {
  const runtime = new RecordingRuntime(result);
  const accessLog: string[] = [];
  const gateway = new LocalRestApi(restApiOf(props), runtime as unknown as LocalLambdaRuntime, {
    accessLog: (line) => accessLog.push(line),
    ...options,
  });
  const root = await gateway.listen(0);
  return { root, url: `${root}${gateway.basePath}`, runtime, accessLog, close: () => gateway.close() };
}

// The first test synthesizes the service (tens of seconds on a busy 2-core machine).
jest.setTimeout(120_000);

const tenantHeaders = { 'x-gw-ims-org-id': 'org@AdobeOrg', 'x-sandbox-name': 'prod' };

describe('local REST API', () => {
  it('passes a Lambda proxy event with the resource, path parameters, query and headers as sent', async () => {
    const gateway = await startGateway({ apiStageName: 'v1' });
    try {
      const response = await fetch(`${gateway.url}/export/jobs/42/?a=1&a=2&b=x%20y`, {
        headers: { ...tenantHeaders, 'X-Custom': 'Value' },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      const [{ functionId, event }] = gateway.runtime.events;
      expect(functionId).toMatch(/^ExportJobsApiGetJobFunction/);
      expect(event).toMatchObject({
        resource: '/export/jobs/{id}',
        path: '/export/jobs/42/',
        httpMethod: 'GET',
        pathParameters: { id: '42' },
        queryStringParameters: { a: '2', b: 'x y' },
        multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
        requestContext: {
          stage: 'v1',
          path: '/v1/export/jobs/42/',
          resourcePath: '/export/jobs/{id}',
          httpMethod: 'GET',
          requestId: expect.any(String),
        },
        body: null,
        isBase64Encoded: false,
      });
      expect(event.headers['x-custom'] ?? event.headers['X-Custom']).toBe('Value');
    } finally {
      await gateway.close();
    }
  });

  it('answers an unknown route with the template’s 404 problem, without invoking anything', async () => {
    const gateway = await startGateway({});
    try {
      const response = await fetch(`${gateway.url}/export/unknown`, { headers: tenantHeaders });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        status: 404,
        title: 'Not found',
        detail: 'Missing Authentication Token',
      });
      expect(gateway.runtime.events).toEqual([]);
    } finally {
      await gateway.close();
    }
  });

  it('validates bodies against the template’s model when the validator asks for it', async () => {
    const gateway = await startGateway({ validateRequestBodyAtGateway: true });
    try {
      const response = await fetch(`${gateway.url}/export/jobs`, {
        method: 'POST',
        headers: { ...tenantHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ destination: {} }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        status: 400,
        title: 'Invalid request',
        detail: 'Invalid request body',
      });
      expect(gateway.runtime.events).toEqual([]);
      const valid = await fetch(`${gateway.url}/export/jobs`, {
        method: 'POST',
        headers: { ...tenantHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ destination: { datasetId: 'd' }, schema: { name: 's' } }),
      });
      expect(valid.status).toBe(200);
      expect(gateway.runtime.events).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it('leaves body validation to the function by default', async () => {
    const gateway = await startGateway({});
    try {
      await fetch(`${gateway.url}/export/jobs`, { method: 'POST', headers: tenantHeaders, body: '{"destination":{}}' });
      expect(gateway.runtime.events).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it('throttles the stage as configured, answering 429 with Retry-After', async () => {
    const gateway = await startGateway({ throttlingRateLimit: 1, throttlingBurstLimit: 1 });
    try {
      const statuses: number[] = [];
      let throttled: Response | undefined;
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${gateway.url}/export/jobs`, { headers: tenantHeaders });
        statuses.push(response.status);
        if (response.status === 429) throttled = response;
        else await response.text();
      }
      expect(statuses[0]).toBe(200);
      expect(statuses).toContain(429);
      expect(throttled!.headers.get('retry-after')).toBe('1');
      expect(await throttled!.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    } finally {
      await gateway.close();
    }
  });

  it('answers 502 when the function fails or returns a malformed result', async () => {
    for (const result of [
      { ok: false, error: { errorType: 'Error', errorMessage: 'boom', trace: [] } } as InvokeResult,
      { ok: true, result: { body: 'no status code' } } as InvokeResult,
    ]) {
      const gateway = await startGateway({}, result);
      try {
        const response = await fetch(`${gateway.url}/export/jobs`, { headers: tenantHeaders });
        expect(response.status).toBe(502);
        expect(await response.json()).toEqual({ message: 'Internal server error' });
      } finally {
        await gateway.close();
      }
    }
  });

  it('writes one access log line per request in the stage’s format', async () => {
    const gateway = await startGateway({});
    try {
      await (await fetch(`${gateway.url}/export/jobs?limit=1`, { headers: tenantHeaders })).text();
      expect(gateway.accessLog).toHaveLength(1);
      expect(JSON.parse(gateway.accessLog[0])).toMatchObject({
        httpMethod: 'GET',
        resourcePath: '/export/jobs',
        status: '200',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    } finally {
      await gateway.close();
    }
  });

  it('GIVEN the execute-api layout WHEN a client drops the stage THEN it gets the 404 problem API Gateway gives, and nothing runs', async () => {
    const gateway = await startGateway({});
    try {
      const response = await fetch(`${gateway.root}/export/jobs`, { headers: tenantHeaders });
      expect(response.status).toBe(404);
      expect(gateway.runtime.events).toEqual([]);
      expect((await fetch(`${gateway.url}/export/jobs`, { headers: tenantHeaders })).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('GIVEN a modelled custom domain mapped at /api WHEN a client calls it THEN the routes are served there, with the base path in path and requestContext.path', async () => {
    const gateway = await startGateway({}, OK, { customDomainBasePath: '/api' });
    try {
      expect(gateway.url).toBe(`${gateway.root}/api`);
      expect((await fetch(`${gateway.root}/v1/export/jobs`, { headers: tenantHeaders })).status).toBe(404);
      const response = await fetch(`${gateway.url}/export/jobs?limit=1`, { headers: tenantHeaders });
      expect(response.status).toBe(200);
      expect(gateway.runtime.events[0].event).toMatchObject({
        resource: '/export/jobs',
        path: '/api/export/jobs',
        requestContext: { stage: 'v1', path: '/api/export/jobs' },
      });
    } finally {
      await gateway.close();
    }
  });

  it('GIVEN a path parameter with malformed percent-encoding (/export/jobs/%) WHEN it is requested THEN the gateway answers a 400 problem, never a 5xx', async () => {
    const gateway = await startGateway({});
    try {
      for (const id of ['%', '%zz', '%E0%A4%A']) {
        const response = await fetch(`${gateway.url}/export/jobs/${id}`, { headers: tenantHeaders });
        expect(response.status).toBe(400);
        const problem = await response.json();
        expect(problem).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: '' })] });
      }
      expect(gateway.runtime.events).toEqual([]);
    } finally {
      await gateway.close();
    }
  });

  it('GIVEN an unknown route or a body over 10 MB THEN the 404 and 413 problems list what is wrong in errors[]', async () => {
    const gateway = await startGateway({});
    try {
      const notFound = await (await fetch(`${gateway.url}/export/unknown`, { headers: tenantHeaders })).json();
      expect(notFound).toMatchObject({
        status: 404,
        errors: [{ path: '', code: 'not-found', message: 'Missing Authentication Token' }],
      });
      const tooLarge = await fetch(`${gateway.url}/export/jobs`, {
        method: 'POST',
        headers: { ...tenantHeaders, 'content-type': 'application/json' },
        body: 'x'.repeat(10 * 1024 * 1024 + 1),
      });
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.json()).toMatchObject({
        status: 413,
        errors: [{ path: '', code: 'request-too-large', message: 'Request Too Long' }],
      });
    } finally {
      await gateway.close();
    }
  });

  it('GIVEN a User-Agent that tries to close its JSON string WHEN the request is logged THEN the access log line keeps the same fields, the value escaped', async () => {
    const gateway = await startGateway({});
    try {
      const userAgent = 'x","injected":"yes';
      await (
        await fetch(`${gateway.url}/export/jobs`, { headers: { ...tenantHeaders, 'user-agent': userAgent } })
      ).text();
      const line = JSON.parse(gateway.accessLog[0]);
      expect(line.injected).toBeUndefined();
      expect(line.userAgent).toBe(userAgent);
    } finally {
      await gateway.close();
    }
  });

  it('GIVEN a function slower than the integration timeout WHEN it is called THEN the gateway answers the 504 problem at the timeout', async () => {
    const gateway = await startGateway({}, 'never', { integrationTimeoutMs: 300 });
    try {
      const startedAt = Date.now();
      const response = await fetch(`${gateway.url}/export/jobs`, { headers: tenantHeaders });
      const elapsed = Date.now() - startedAt;
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({ status: 504, detail: 'Endpoint request timed out', errors: [] });
      expect(elapsed).toBeGreaterThanOrEqual(300);
      expect(elapsed).toBeLessThan(5_000);
      expect(JSON.parse(gateway.accessLog[0])).toMatchObject({ status: '504', errorType: 'INTEGRATION_TIMEOUT' });
    } finally {
      await gateway.close();
    }
  });

  it('GIVEN the function is at its concurrency limit WHEN Lambda refuses the invocation (429) THEN the client gets the 429 problem with Retry-After', async () => {
    const throttled: InvokeResult = {
      ok: false,
      throttled: true,
      error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', trace: [] },
    };
    const gateway = await startGateway({}, throttled);
    try {
      const response = await fetch(`${gateway.url}/export/jobs`, { headers: tenantHeaders });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({
        status: 429,
        errors: [expect.objectContaining({ code: 'throttled' })],
      });
      // API Gateway invokes synchronously: the runtime is asked to refuse rather than queue.
      expect(gateway.runtime.events[0].options).toEqual({ whenBusy: 'throttle' });
    } finally {
      await gateway.close();
    }
  });
});
