import * as os from 'node:os';
import type { ExportJobsServiceProps } from '../../lib/export-jobs-service';
import { LocalRestApi } from '../../local/api-gateway/local-rest-api';
import { readRestApi } from '../../local/api-gateway/rest-api-definition';
import { CloudFormationTemplate } from '../../local/cloudformation-template';
import type { InvokeResult, LocalLambdaRuntime } from '../../local/lambda-runtime';
import { synthService } from '../construct/support/synth';

/** A function runtime that records events and answers with `result`. */
class RecordingRuntime {
  readonly events: Array<{ functionId: string; event: any }> = [];
  constructor(private readonly result: InvokeResult) {}
  async invoke(functionId: string, event: unknown): Promise<InvokeResult> {
    this.events.push({ functionId, event });
    return this.result;
  }
}

const OK: InvokeResult = {
  ok: true,
  result: { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' },
};

async function startGateway(props: ExportJobsServiceProps, result: InvokeResult = OK) {
  const { template } = synthService(props);
  const api = readRestApi(new CloudFormationTemplate(template.toJSON() as never, 'TestStack', os.tmpdir()));
  const runtime = new RecordingRuntime(result);
  const accessLog: string[] = [];
  const gateway = new LocalRestApi(api, runtime as unknown as LocalLambdaRuntime, {
    accessLog: (line) => accessLog.push(line),
  });
  const url = await gateway.listen(0);
  return { url, runtime, accessLog, close: () => gateway.close() };
}

const tenantHeaders = { 'x-gw-ims-org-id': 'org@AdobeOrg', 'x-sandbox-name': 'prod' };

describe('local REST API', () => {
  it('passes a Lambda proxy event with the resource, path parameters, query and headers as sent', async () => {
    const gateway = await startGateway({ apiStageName: 'v1' });
    try {
      const response = await fetch(`${gateway.url}/v1/export/jobs/42/?a=1&a=2&b=x%20y`, {
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
});
