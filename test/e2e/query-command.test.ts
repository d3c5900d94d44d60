import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { batchPrefix, partFileName } from '../../lambda/contract/batch-layout';
import type { JobRecord } from '../../lambda/contract/job-record';
import { XDM_PROFILE_UNION } from '../../lambda/contract/xdm-schemas';
import { LOCAL_CREDENTIALS } from '../../local/local-network';
import { TenantClient, newTenant, request } from './support/api-client';
import { readBatch } from './support/batches';
import { localStack, seedTenant, waitForStatus } from './support/local-stack-control';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** `npm run query -- …` as a user runs it, against the e2e stack's data folder; its --json rows. */
async function query(client: TenantClient, datasetId: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const { stdout } = await run(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      'bin/query.ts',
      '--dataset',
      datasetId,
      '--org',
      client.tenant.orgId,
      '--sandbox',
      client.tenant.sandboxName,
      '--data-dir',
      process.env.EXPORT_JOBS_DATA_DIR!,
      '--json',
      sql,
    ],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout);
}

async function createDataset(client: TenantClient, format: 'parquet' | 'json'): Promise<string> {
  const created = await request<string[]>('POST', '/dataSets', {
    tenant: client.tenant,
    body: { name: `query ${format}`, schemaRef: { id: XDM_PROFILE_UNION.id }, fileDescription: { format } },
  });
  expect(created.status).toBe(201);
  return created.body[0].slice('@/dataSets/'.length);
}

/** Counts of the exported records by loyalty tier, as the SQL below groups them. */
function tiersOf(records: unknown[]): Array<{ tier: string | null; profiles: number }> {
  const counts = new Map<string | null, number>();
  for (const record of records as Array<{ loyalty?: { tier?: string } }>) {
    const tier = record.loyalty?.tier ?? null;
    counts.set(tier, (counts.get(tier) ?? 0) + 1);
  }
  return [...counts].map(([tier, profiles]) => ({ tier, profiles }));
}

describe('npm run query: SQL over a dataset of the local stack', () => {
  const client = new TenantClient(newTenant('query'));

  beforeAll(async () => {
    await seedTenant(client.tenant, 300, 71);
  });

  it.each(['json', 'parquet'] as const)(
    'GIVEN a %s dataset with a complete batch, a half-written batch and a stray part WHEN SQL counts and groups the dataset THEN it sees exactly the exported records of the complete batch',
    async (format) => {
      const datasetId = await createDataset(client, format);
      const created = await client.createOk({ destination: { datasetId }, schema: { name: '_xdm.context.profile' } });
      const job: JobRecord = await waitForStatus(client, created.id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 300_000);
      expect(job.status).toBe('SUCCEEDED');
      const exported = await readBatch(client.tenant, datasetId, job.destination.batchId!);
      expect(exported.records.length).toBeGreaterThan(0);

      // A batch whose parts are written but whose manifest is not (an export still running), and
      // a part in the complete batch's folder that its manifest does not list (an abandoned attempt).
      const stack = localStack();
      const s3 = new S3Client({
        endpoint: stack.s3Endpoint,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        forcePathStyle: true,
      });
      const stray = await s3.send(
        new PutObjectCommand({
          Bucket: stack.resources.exportBucket,
          Key: `${batchPrefix(client.tenant, datasetId, job.destination.batchId!)}${partFileName(99, 0, format)}`,
          Body: 'a part of an abandoned attempt, not listed in the manifest',
        }),
      );
      const halfWrittenPart = `${batchPrefix(client.tenant, datasetId, 'half-written')}${exported.manifest!.parts[0].file}`;
      const partBytes = await (
        await s3.send(
          new GetObjectCommand({
            Bucket: stack.resources.exportBucket,
            Key: `${batchPrefix(client.tenant, datasetId, job.destination.batchId!)}${exported.manifest!.parts[0].file}`,
          }),
        )
      ).Body!.transformToByteArray();
      await s3.send(
        new PutObjectCommand({ Bucket: stack.resources.exportBucket, Key: halfWrittenPart, Body: partBytes }),
      );
      s3.destroy();
      expect(stray.$metadata.httpStatusCode).toBe(200);

      const table = `dataset_${datasetId}`;
      expect(
        await query(client, datasetId, `SELECT batchid, count(*) AS profiles FROM ${table} GROUP BY batchid`),
      ).toEqual([{ batchid: job.destination.batchId, profiles: exported.records.length }]);
      expect(job.metrics.totalExportedProfileCounter).toBe(exported.records.length);
      const tiers = await query(
        client,
        datasetId,
        `SELECT loyalty.tier AS tier, count(*) AS profiles FROM ${table} GROUP BY 1`,
      );
      const byTier = (rows: Array<Record<string, unknown>>) =>
        [...rows].sort((a, b) => String(a.tier).localeCompare(String(b.tier)));
      expect(byTier(tiers)).toEqual(byTier(tiersOf(exported.records)));
    },
  );
});
