import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { JobRecord } from '../../lambda/contract/job-record';
import { TenantClient, baseUrl, expectProblem, newTenant, request, type TestTenant } from './support/api-client';
import { readBatch } from './support/batches';
import { holdingExports, seedTenant, waitForStatus } from './support/local-stack-control';

jest.setTimeout(300_000);

const PROFILES = 120;

function filesOfBatch(tenant: TestTenant, batchId: string) {
  return request('GET', `/export/batches/${batchId}/files`, { tenant });
}

/** GET on a link the API returned (a path from the host's root), redirects not followed. */
function follow(tenant: TestTenant, href: string) {
  return request('GET', '', { tenant, baseUrl: new URL(href, baseUrl()).href, redirect: 'manual' });
}

describe('reading a batch back (GET /export/batches/{batchId}/files, GET /export/files/{dataSetFileId})', () => {
  const owner = new TenantClient(newTenant('reader'));
  let job: JobRecord;

  beforeAll(async () => {
    await seedTenant(owner.tenant, PROFILES, 5, false);
    job = await waitForStatus(owner, (await owner.createOk()).id, ['SUCCEEDED']);
  });

  it('GIVEN a SUCCEEDED job WHEN its batch is listed THEN each part of the manifest is a dataset file with its records and length', async () => {
    const batchId = job.destination.batchId!;
    const stored = await readBatch(owner.tenant, job.destination.datasetId, batchId);
    const response = await filesOfBatch(owner.tenant, batchId);
    expect(response.status).toBe(200);
    expect(response.body._page).toEqual({ limit: stored.parts.length, count: stored.parts.length });
    expect(response.body.data.map((file: any) => [file.records, file.length])).toEqual(
      stored.parts.map((part) => [part.listed.records, part.listed.bytes]),
    );
    for (const file of response.body.data) {
      expect(file).toEqual({
        dataSetFileId: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
        dataSetViewId: job.destination.datasetId,
        version: '1.0.0',
        created: Date.parse(stored.manifest!.createdAt),
        updated: Date.parse(stored.manifest!.createdAt),
        isValid: true,
        records: expect.any(Number),
        length: expect.any(Number),
        _links: { self: { href: `${new URL(baseUrl()).pathname}/export/files/${file.dataSetFileId}` } },
      });
    }
    expect(response.body.data.reduce((sum: number, file: any) => sum + file.records, 0)).toBe(
      stored.manifest!.totalRecords,
    );
    expect(stored.manifest!.totalRecords).toBeGreaterThan(0);
  });

  it('GIVEN a dataset file WHEN described and each of its links followed THEN a 307 to a presigned URL that plain HTTP fetches returns exactly the bytes whose sha256 the listing and manifest give, valid at most 900 s', async () => {
    const batchId = job.destination.batchId!;
    const stored = await readBatch(owner.tenant, job.destination.datasetId, batchId);
    const listing = await filesOfBatch(owner.tenant, batchId);
    let records = 0;
    for (const file of listing.body.data) {
      const detail = await follow(owner.tenant, file._links.self.href);
      expect(detail.status).toBe(200);
      const [part, manifest] = detail.body.data;
      const listed = stored.parts.find((candidate) => candidate.file === part.name)!.listed;
      expect(part).toEqual({
        name: expect.stringMatching(/^part-/),
        length: listed.bytes,
        records: listed.records,
        checksum: { algorithm: 'sha256', value: listed.sha256 },
        _links: { self: { href: `${file._links.self.href}?path=${part.name}` } },
      });
      expect(manifest).toEqual(
        expect.objectContaining({
          name: 'manifest.json',
          _links: { self: { href: `${file._links.self.href}?path=manifest.json` } },
        }),
      );
      for (const entry of [part, manifest]) {
        const redirect = await follow(owner.tenant, entry._links.self.href);
        expect(redirect.status).toBe(307);
        expect(redirect.text).toBe('');
        const location = new URL(redirect.headers.get('location')!);
        expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeGreaterThan(0);
        expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
        // Plain HTTP, no token, no API key: the URL alone grants the download.
        const download = await fetch(location, { redirect: 'error' });
        expect(download.status).toBe(200);
        const bytes = Buffer.from(await download.arrayBuffer());
        expect({ length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }).toEqual({
          length: entry.length,
          sha256: entry.checksum.value,
        });
        if (entry === part) records += gunzipSync(bytes).toString('utf8').trim().split('\n').length;
        else expect(JSON.parse(bytes.toString('utf8'))).toEqual(stored.manifest);
      }
    }
    expect(records).toBe(stored.manifest!.totalRecords);
  });

  it("GIVEN another tenant WHEN it asks for the owner's batch, file or download THEN each is a 404, as for an unknown batch", async () => {
    const stranger = newTenant('stranger');
    const listing = await filesOfBatch(owner.tenant, job.destination.batchId!);
    const href = listing.body.data[0]._links.self.href;
    const notFound = [
      await filesOfBatch(stranger, job.destination.batchId!),
      await follow(stranger, href),
      await follow(stranger, `${href}?path=manifest.json`),
      await filesOfBatch(owner.tenant, 'f'.repeat(32)),
    ];
    for (const response of notFound) {
      const problem = expectProblem(response, 404);
      expect(response.text).not.toContain(owner.tenant.orgId);
      expect(problem.errors[0].code).toBe('not_found');
    }
  });

  it('GIVEN malformed ids and paths WHEN asked THEN each is a 400 naming the bad parameter', async () => {
    const listing = await filesOfBatch(owner.tenant, job.destination.batchId!);
    const href: string = listing.body.data[0]._links.self.href;
    const below = (link: string) => link.slice(new URL(baseUrl()).pathname.length);
    const cases: Array<[string, string]> = [
      ['/export/batches/NOT-A-BATCH/files', '/batchId'],
      [`/export/batches/${job.destination.batchId!.toUpperCase()}/files`, '/batchId'],
      ['/export/files/abc', '/dataSetFileId'],
      [`/export/files/${Buffer.from(`${job.destination.batchId}/../../x`).toString('base64url')}`, '/dataSetFileId'],
      [`${below(href)}?path=..%2Fmanifest.json`, '/path'],
      [`${below(href)}?path=${encodeURIComponent('org/prod/datasets/x/batches/y/manifest.json')}`, '/path'],
      [`${below(href)}?path=manifest.json&path=manifest.json`, '/path'],
      [`${below(href)}?other=1`, '/other'],
    ];
    for (const [path, pointer] of cases) {
      const problem = expectProblem(await request('GET', path, { tenant: owner.tenant }), 400);
      expect({ path, pointers: problem.errors.map((error) => error.path) }).toEqual({ path, pointers: [pointer] });
    }
    // A well-formed name that is not this file's: not found, not a download of another part.
    const other = await follow(owner.tenant, `${href}?path=part-9999-999999.json.gz`);
    expectProblem(other, 404);
  });

  it('GIVEN a batch not complete yet, or of a CANCELLED job WHEN listed THEN 409 says which', async () => {
    const client = new TenantClient(newTenant('incomplete'));
    const pending = await holdingExports(async () => {
      const created = await client.createOk();
      const response = await filesOfBatch(client.tenant, created.destination.batchId!);
      const problem = expectProblem(response, 409);
      expect(problem.detail).toMatch(/not complete yet: the job is NEW/);
      expect(problem.errors).toEqual([expect.objectContaining({ path: '/batchId', code: 'batch_incomplete' })]);
      expect((await client.delete(created.id)).status).toBe(204);
      return created;
    });
    await waitForStatus(client, pending.id, ['CANCELLED']);
    const problem = expectProblem(await filesOfBatch(client.tenant, pending.destination.batchId!), 409);
    expect(problem.detail).toMatch(/never will be: the job ended CANCELLED/);
  });

  it('GIVEN a SUCCEEDED job that was then deleted WHEN its batch is listed THEN its files are still there', async () => {
    const client = new TenantClient(newTenant('deleted'));
    const done = await waitForStatus(client, (await client.createOk()).id, ['SUCCEEDED']);
    expect((await client.delete(done.id)).status).toBe(204);
    const response = await filesOfBatch(client.tenant, done.destination.batchId!);
    expect(response.status).toBe(200);
  });
});
