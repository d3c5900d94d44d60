import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDataset, expectProblem, minimalJob, newTenant, request } from './support/api-client';
import { startLocalStackProcess, type LocalStackProcess } from './support/local-stack-process';

jest.setTimeout(240_000);

describe("routes under the reference platform's base path (stage local-ups: basePath '/data/core/ups')", () => {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-base-path-'));
  let stack: LocalStackProcess;
  beforeAll(async () => {
    stack = await startLocalStackProcess(dataDirectory, ['--stage', 'local-ups', '--in-memory', '--no-seed']);
  });
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('GIVEN a client that builds /data/core/ups/export/jobs WHEN it creates and lists jobs, following link.next verbatim THEN every page is there, and the bare /export/jobs is a 404', async () => {
    const tenant = newTenant('ups');
    const options = { baseUrl: stack.jobsUrl, dataDirectory, tenant };
    expect(stack.jobsUrl).toBe(`${stack.url}/data/core/ups/export/jobs`);
    // The datasets are under the base path too: /data/core/ups/dataSets.
    const datasetId = await createDataset({ ...options, baseUrl: `${stack.url}/data/core/ups` });
    for (let i = 0; i < 2; i++) {
      expect((await request('POST', '', { ...options, body: minimalJob(datasetId) })).status).toBe(200);
    }
    const first = await request('GET', '?limit=1', options);
    expect(first.status).toBe(200);
    const next = first.body.link.next as string;
    expect(next).toMatch(/^\/local\/data\/core\/ups\/export\/jobs\?limit=1&offset=/);
    const second = await request('GET', '', { ...options, baseUrl: new URL(next, stack.jobsUrl).href });
    expect(second.status).toBe(200);
    expect(second.body.records).toHaveLength(1);
    expect(second.body.records[0].id).not.toBe(first.body.records[0].id);
    expectProblem(await request('GET', '/export/jobs', { ...options, baseUrl: stack.url }), 404);
  });
});

describe("a custom domain mapped at its root to the local-ups stage: the reference platform's paths, only the host changed", () => {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-custom-domain-'));
  let stack: LocalStackProcess;
  beforeAll(async () => {
    stack = await startLocalStackProcess(dataDirectory, [
      '--stage',
      'local-ups',
      '--custom-domain',
      '',
      '--in-memory',
      '--no-seed',
    ]);
  });
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('GIVEN a client of the reference platform pointed at this host WHEN it lists and follows link.next verbatim THEN link.next is /data/core/ups/export/jobs?… and reaches the next page', async () => {
    const tenant = newTenant('domain');
    expect(stack.jobsUrl).toBe(`${new URL(stack.url).origin}/data/core/ups/export/jobs`);
    const options = { baseUrl: stack.jobsUrl, dataDirectory, tenant };
    const datasetId = await createDataset({ ...options, baseUrl: stack.jobsUrl.replace(/\/export\/jobs$/, '') });
    for (let i = 0; i < 2; i++) {
      expect((await request('POST', '', { ...options, body: minimalJob(datasetId) })).status).toBe(200);
    }
    const first = await request('GET', '?limit=1', options);
    const next = first.body.link.next as string;
    expect(next).toMatch(/^\/data\/core\/ups\/export\/jobs\?limit=1&offset=/);
    const second = await request('GET', '', { ...options, baseUrl: new URL(next, stack.jobsUrl).href });
    expect(second.body.records).toHaveLength(1);
    expect(second.body.records[0].id).not.toBe(first.body.records[0].id);
  });
});
