import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDataset, minimalJob, newTenant, request, type ApiResponse } from './support/api-client';
import { startLocalStackProcess } from './support/local-stack-process';

jest.setTimeout(240_000);

describe('local stack data folder', () => {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-restart-'));
  afterAll(() => fs.rmSync(dataDirectory, { recursive: true, force: true }));

  it('keeps the jobs and datasets across a restart, and forgets them with --reset', async () => {
    const tenant = newTenant('restart');
    const first = await startLocalStackProcess(dataDirectory);
    let created: ApiResponse;
    let datasetId: string;
    try {
      datasetId = await createDataset({ baseUrl: first.url, dataDirectory, tenant });
      created = await request('POST', '/export/jobs', {
        baseUrl: first.url,
        dataDirectory,
        tenant,
        body: minimalJob(datasetId),
      });
      expect(created.status).toBe(200);
    } finally {
      await first.stop();
    }

    const second = await startLocalStackProcess(dataDirectory);
    try {
      const again = await request('GET', `/export/jobs/${created.body.id}`, {
        baseUrl: second.url,
        dataDirectory,
        tenant,
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        id: created.body.id,
        creationTime: created.body.creationTime,
        requestId: created.body.requestId,
      });
      // Ids keep counting from where they were, and the dataset is still there.
      const next = await request('POST', '/export/jobs', {
        baseUrl: second.url,
        dataDirectory,
        tenant,
        body: minimalJob(datasetId),
      });
      expect(next.body.id).toBe(created.body.id + 1);
    } finally {
      await second.stop();
    }

    const reset = await startLocalStackProcess(dataDirectory, ['--reset']);
    try {
      const gone = await request('GET', `/export/jobs/${created.body.id}`, {
        baseUrl: reset.url,
        dataDirectory,
        tenant,
      });
      expect(gone.status).toBe(404);
      const datasetGone = await request('GET', `/dataSets/${datasetId}`, { baseUrl: reset.url, dataDirectory, tenant });
      expect(datasetGone.status).toBe(404);
    } finally {
      await reset.stop();
    }
  });
});
