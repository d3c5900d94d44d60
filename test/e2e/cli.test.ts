import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bundleCli, CLI_BUNDLE } from '../../scripts/bundle-cli';
import { TenantClient, apiKeyOf, baseUrl, newTenant, tokenFor, type TestTenant } from './support/api-client';
import { readBatch } from './support/batches';
import { holdingExports, seedTenant } from './support/local-stack-control';

jest.setTimeout(300_000);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI, as a user runs it: settings from the environment, arguments on the command line. */
async function exportJobs(tenant: TestTenant, args: string[]): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '',
    EXPORT_JOBS_URL: baseUrl(),
    EXPORT_JOBS_TOKEN: await tokenFor(tenant),
    EXPORT_JOBS_API_KEY: apiKeyOf(),
    EXPORT_JOBS_ORG: tenant.orgId,
    EXPORT_JOBS_SANDBOX: tenant.sandboxName,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the export-jobs CLI, driven as a user would', () => {
  const tenant = newTenant('cli');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-cli-'));
  let dataset: string;

  beforeAll(async () => {
    await bundleCli();
    await seedTenant(tenant, 150, 9, false);
  });

  it("GIVEN a tenant WHEN a dataset is created, shown and listed with the CLI THEN it is the tenant's, in the format asked", async () => {
    // JSON Lines: the checks below read the parts as the JSON Lines batch reader does.
    const created = await exportJobs(tenant, ['datasets', 'create', '--name', 'cli exports', '--format', 'json']);
    expect({ status: created.status, stderr: created.stderr }).toEqual({ status: 0, stderr: '' });
    dataset = created.stdout.trim();
    expect(dataset).toMatch(/^[0-9a-f]{24}$/);
    const shown = await exportJobs(tenant, ['datasets', 'get', dataset, '--json']);
    expect(JSON.parse(shown.stdout)[dataset]).toEqual(
      expect.objectContaining({
        name: 'cli exports',
        imsOrg: tenant.orgId,
        fileDescription: expect.objectContaining({ format: 'json' }),
      }),
    );
    const listed = await exportJobs(tenant, ['datasets', 'list', '--all', '--limit', '1']);
    expect(listed.stdout).toMatch(new RegExp(`^${dataset}  json +\\S+  cli exports\n$`));
  });
  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('GIVEN a seeded tenant WHEN a job is created, watched and downloaded THEN the files on disk are the batch, checked byte for byte against the manifest', async () => {
    const created = await exportJobs(tenant, [
      'create',
      '--dataset',
      dataset,
      '--fields',
      'identities,personalEmail',
      '--json',
    ]);
    expect({ status: created.status, stderr: created.stderr }).toEqual({ status: 0, stderr: '' });
    const job = JSON.parse(created.stdout);
    expect(job).toEqual(expect.objectContaining({ status: 'NEW', fields: 'identities,personalEmail' }));

    const watched = await exportJobs(tenant, ['watch', String(job.id), '--interval', '200']);
    expect({ status: watched.status, stdout: watched.stdout }).toEqual({
      status: 0,
      stdout: expect.stringMatching(
        new RegExp(`^Job ${job.id}: SUCCEEDED\\n[^]*\\d+ profiles exported[^]*took [0-9.]+ s\\n`),
      ),
    });
    // The progress bar (one line a second when stderr is not a terminal) shows the counter and the status.
    expect(watched.stderr).toMatch(new RegExp(`Job ${job.id} SUCCEEDED \\|.*\\| \\d+ profiles exported`));

    const target = path.join(workspace, 'download');
    const downloaded = await exportJobs(tenant, ['download', String(job.id), target, '--json']);
    expect({ status: downloaded.status, stderr: downloaded.stderr }).toEqual({ status: 0, stderr: '' });
    const report = JSON.parse(downloaded.stdout);

    const batchId: string = job.destination.batchId;
    const stored = await readBatch(tenant, dataset, batchId);
    const folder = path.join(target, batchId);
    expect(fs.readdirSync(folder).sort()).toEqual([...stored.parts.map((part) => part.file), 'manifest.json'].sort());
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'))).toEqual(stored.manifest);
    let records = 0;
    for (const part of stored.parts) {
      const bytes = fs.readFileSync(path.join(folder, part.file));
      expect({
        file: part.file,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }).toEqual({
        file: part.file,
        bytes: part.listed.bytes,
        sha256: part.listed.sha256,
      });
      records += gunzipSync(bytes).toString('utf8').trim().split('\n').filter(Boolean).length;
    }
    expect(records).toBe(stored.manifest!.totalRecords);
    expect(report).toEqual({
      jobId: job.id,
      batches: [expect.objectContaining({ batchId, records: stored.manifest!.totalRecords, directory: folder })],
    });

    const listed = await exportJobs(tenant, ['list', '--json']);
    expect(JSON.parse(listed.stdout).map((entry: { id: number }) => entry.id)).toEqual([job.id]);
  });

  it('GIVEN requests the API refuses WHEN run THEN the problem title and every listed problem are printed and the exit status is 1', async () => {
    const missing = await exportJobs(tenant, ['get', '999999']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^Error 404: Export job not found\n/);
    expect(missing.stderr).toContain('- /id: no export job 999999 in this organization and sandbox [not_found]');

    const file = path.join(workspace, 'bad-job.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        destination: { datasetId: dataset },
        schema: { name: '_xdm.context.profile' },
        filter: { fromIngestTimestamp: 'yesterday' },
        colour: 'blue',
      }),
    );
    const invalid = await exportJobs(tenant, ['create', '--file', file]);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/^Error 400: Invalid request\n/);
    expect(invalid.stderr).toContain('- /filter/fromIngestTimestamp:');
    expect(invalid.stderr).toContain('- /colour:');

    const unusable = await exportJobs(tenant, ['create']);
    expect(unusable.status).toBe(2);
    expect(unusable.stderr).toContain('--dataset');
  });

  it('GIVEN a NEW job WHEN cancelled and then watched THEN it ends CANCELLED and watch exits 1 saying so', async () => {
    const client = new TenantClient(newTenant('cli-cancel'));
    await holdingExports(async () => {
      // A dataset of this test's own tenant (the suite's dataset is another tenant's).
      const job = await client.createOk(await client.minimalJob());
      const cancelled = await exportJobs(client.tenant, ['cancel', String(job.id)]);
      expect({ status: cancelled.status, stdout: cancelled.stdout }).toEqual({
        status: 0,
        stdout: `Job ${job.id} (NEW) is being cancelled: it ends CANCELLED (see: export-jobs watch ${job.id}).\n`,
      });
      const watched = await exportJobs(client.tenant, ['watch', String(job.id), '--json']);
      expect(watched.status).toBe(1);
      expect(JSON.parse(watched.stdout)).toEqual(expect.objectContaining({ id: job.id, status: 'CANCELLED' }));
    });
  });
});
