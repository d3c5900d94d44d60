import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { UnsecuredJWT } from 'jose';
import type { JobRecord } from '../../lambda/contract/job-record';
import { DEV_ISSUER, LOCAL_API_KEYS } from '../../bin/stages';
import { DevIssuer } from '../../local/dev-issuer';
import { LOCAL_CREDENTIALS } from '../../local/local-network';
import {
  TenantClient,
  expectProblem,
  inParallel,
  issuerOf,
  minimalJob,
  newTenant,
  request,
  type TestTenant,
} from './support/api-client';
import { localStack, waitForStatus } from './support/local-stack-control';

jest.setTimeout(180_000);

const tenant = newTenant('auth');
const list = (options: Parameters<typeof request>[2]) => request('GET', '/export/jobs', { tenant, ...options });

describe('authentication', () => {
  it('answers 401, with WWW-Authenticate: Bearer, a request without a token', async () => {
    const response = await list({ token: null });
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['a token that is not a JWT', async () => 'not-a-jwt'],
    [
      'a truncated JWT',
      async () => (await (await issuerOf()).mint({ orgs: [tenant.orgId], sandboxes: ['prod'] })).slice(0, -10),
    ],
    [
      'a signature by another key',
      async () => {
        const stranger = await DevIssuer.load(fs.mkdtempSync(path.join(os.tmpdir(), 'stranger-issuer-')), DEV_ISSUER);
        return stranger.mint({ orgs: [tenant.orgId], sandboxes: ['prod'] });
      },
    ],
    [
      'alg: none',
      async () =>
        new UnsecuredJWT({ token_use: 'access', orgs: [tenant.orgId], sandboxes: ['prod'] })
          .setIssuer('https://dev-issuer.export-jobs.local')
          .setAudience('export-jobs-local')
          .setSubject('intruder')
          .setIssuedAt()
          .setExpirationTime('1h')
          .encode(),
    ],
    [
      'an expired token',
      async () => (await issuerOf()).mint({ orgs: [tenant.orgId], sandboxes: ['prod'], ttlSeconds: -60 }),
    ],
    [
      'a token not valid yet (nbf)',
      async () => (await issuerOf()).mint({ orgs: [tenant.orgId], sandboxes: ['prod'], notBeforeSeconds: 600 }),
    ],
    [
      'a token of another issuer',
      async () =>
        (await issuerOf()).mint({ orgs: [tenant.orgId], sandboxes: ['prod'], issuer: 'https://evil.example' }),
    ],
    [
      'a token for another audience',
      async () => (await issuerOf()).mint({ orgs: [tenant.orgId], sandboxes: ['prod'], audience: 'another-api' }),
    ],
    [
      'an ID token where access tokens are expected',
      async () => (await issuerOf()).mint({ orgs: [tenant.orgId], sandboxes: ['prod'], tokenUse: 'id' }),
    ],
  ])('answers 401 to %s', async (_, makeToken) => {
    expectProblem(await list({ token: await makeToken() }), 401);
  });

  it('answers 401 to a scheme other than Bearer', async () => {
    const token = await (await issuerOf()).mint({ orgs: [tenant.orgId], sandboxes: ['prod'] });
    expectProblem(await list({ token: null, headers: { authorization: `Basic ${token}` } }), 401);
  });

  it('answers 403 to a token for another organisation or sandbox', async () => {
    const other: TestTenant = { orgId: 'other-org@AdobeOrg', sandboxName: 'prod' };
    const issuer = await issuerOf();
    const forOther = await issuer.mint({ orgs: [other.orgId], sandboxes: ['prod'] });
    expect(expectProblem(await list({ token: forOther }), 403).detail).toContain(tenant.orgId);
    const otherSandbox = await issuer.mint({ orgs: [tenant.orgId], sandboxes: ['dev'] });
    expectProblem(await list({ token: otherSandbox }), 403);
    for (const method of ['POST', 'GET', 'DELETE'] as const) {
      const target = method === 'POST' ? '/export/jobs' : '/export/jobs/1';
      const response = await request(method, target, {
        tenant,
        token: forOther,
        ...(method === 'POST' && { body: minimalJob('5b7c86968f7b6501e21ba9df') }),
      });
      expectProblem(response, 403);
    }
  });

  it("lets a token granting every sandboxes ('*') and several orgs use each of them", async () => {
    const second = newTenant('second');
    const token = await (await issuerOf()).mint({ orgs: [tenant.orgId, second.orgId], sandboxes: ['*'] });
    expect((await list({ token })).status).toBe(200);
    expect((await request('GET', '/export/jobs', { tenant: { ...second, sandboxName: 'qa' }, token })).status).toBe(
      200,
    );
  });
});

describe('API keys and usage plans', () => {
  it('answers 403 without an API key, or with an unknown one', async () => {
    expectProblem(await list({ apiKey: null }), 403);
    expectProblem(await list({ apiKey: 'an-api-key-nobody-ever-issued' }), 403);
  });

  it('answers 429 with Retry-After past the plan’s rate, and past its daily quota', async () => {
    // The local Trial plan: 2 requests/s, bursts of 2, 20 requests a day.
    const burst = await Promise.all(Array.from({ length: 8 }, () => list({ apiKey: LOCAL_API_KEYS.trial })));
    const throttled = burst.filter((response) => response.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].headers.get('retry-after')).toBe('1');
    expectProblem(throttled[0], 429);

    let last;
    for (let sent = 0; sent < 40; sent++) {
      last = await list({ apiKey: LOCAL_API_KEYS.trial });
      if (last.status === 429 && last.body.title === 'Quota exceeded') break;
      await new Promise((resolve) => setTimeout(resolve, 520));
    }
    expect(last!.status).toBe(429);
    expect(last!.body).toMatchObject({ title: 'Quota exceeded', detail: 'Limit Exceeded' });
    expect(last!.headers.get('retry-after')).toBe('3600');
  });
});

describe('tenant isolation', () => {
  const a = new TenantClient(newTenant('tenant-a'));
  const b = new TenantClient(newTenant('tenant-b'));
  let jobsOfA: JobRecord[];
  let jobsOfB: JobRecord[];

  beforeAll(async () => {
    [jobsOfA, jobsOfB] = await Promise.all([
      inParallel(5, 2, () => a.createOk()),
      inParallel(5, 2, () => b.createOk()),
    ]);
  });

  it('gives each tenant its own ids and lists only its own jobs', async () => {
    expect(jobsOfA.map((job) => job.id).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(jobsOfB.map((job) => job.id).sort()).toEqual([1, 2, 3, 4, 5]);
    for (const [client, own] of [
      [a, jobsOfA],
      [b, jobsOfB],
    ] as const) {
      const listed = (await client.list('?limit=100')).body.records as JobRecord[];
      expect(listed.map((job) => job.requestId).sort()).toEqual(own.map((job) => job.requestId).sort());
      expect(listed.every((job) => job.imsOrgId === client.tenant.orgId)).toBe(true);
    }
  });

  it("never returns, changes or deletes another tenant's job, whatever id is guessed", async () => {
    for (const job of jobsOfA) {
      const seenByB = await b.get(job.id);
      expect(seenByB.status).toBe(200);
      expect(seenByB.body.requestId).not.toBe(job.requestId); // B's own job with that id
      expect(seenByB.body.imsOrgId).toBe(b.tenant.orgId);
    }
    expectProblem(await b.get(99), 404);
    // B deletes "job 1" once its own job 1 has finished (a job that is being finalized answers
    // 409): B's job is gone, A's job 1 is untouched.
    await waitForStatus(b, 1, ['SUCCEEDED', 'FAILED', 'CANCELLED']);
    expect((await b.delete(1)).status).toBe(204);
    expectProblem(await b.get(1), 404);
    const stillA = await a.get(1);
    expect(stillA.status).toBe(200);
    expect(stillA.body.requestId).toBe(jobsOfA.find((job) => job.id === 1)!.requestId);
  });

  it("lists only the tenant's own jobs when another tenant's cursor is replayed", async () => {
    const first = await a.list('?limit=2');
    const stolen = first.body.link.next as string;
    expect(stolen).not.toBe('');
    const replayed = await b.follow(stolen);
    expect(replayed.status).toBe(200);
    expect((replayed.body.records as JobRecord[]).every((job) => job.imsOrgId === b.tenant.orgId)).toBe(true);
  });

  it('writes batches only under the tenant’s own prefix, whatever the ids (../x and the like)', async () => {
    const crafted = new TenantClient({ orgId: '../evil@AdobeOrg', sandboxName: '..' });
    // A dataset id that could name a folder is no dataset of the tenant: refused before any job exists.
    for (const datasetId of ['../x', '../../other-org@AdobeOrg/prod/datasets/x', '%2E%2E', '..']) {
      const problem = expectProblem(await crafted.create(minimalJob(datasetId)), 422);
      expect(problem.errors).toEqual([
        expect.objectContaining({ path: '/destination/datasetId', code: 'unknown_dataset' }),
      ]);
    }
    const jobs = await inParallel(2, 2, () => crafted.createOk());
    await Promise.all(jobs.map((job) => waitForStatus(crafted, job.id, ['SUCCEEDED'])));
    const stack = localStack();
    const s3 = new S3Client({
      endpoint: stack.s3Endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    const keys = (
      (await s3.send(new ListObjectsV2Command({ Bucket: stack.resources.exportBucket, Prefix: '%2E%2E' }))).Contents ??
      []
    ).map((object) => object.Key!);
    s3.destroy();
    expect(keys).toHaveLength(jobs.length);
    for (const key of keys) {
      const segments = key.split('/');
      expect(segments.slice(0, 3)).toEqual(['%2E%2E%2Fevil%40AdobeOrg', '%2E%2E', 'datasets']);
      expect(segments).toHaveLength(7);
      expect(segments.every((segment) => segment !== '..' && segment !== '.')).toBe(true);
    }
  });
});
