import type { JobRecord } from '../../lambda/contract/job-record';
import { XDM_PROFILE_UNION } from '../../lambda/contract/xdm-schemas';
import { TenantClient, newTenant, request } from './support/api-client';
import { readBatch } from './support/batches';
import { canonicalMultiset } from './support/canonical-json';
import { expectedExport, type OracleRequest } from './support/export-oracle';
import { seedTenant, waitForStatus } from './support/local-stack-control';

jest.setTimeout(600_000);

const GENERATION = { profiles: 1500, seed: 61 };

const CASES: Array<[string, OracleRequest]> = [
  [
    'every field, and every field of the events',
    { filter: { emptyProfiles: true }, additionalFields: { eventList: { filter: {} } } },
  ],
  [
    'projected fields and event fields, after an ingest time',
    {
      fields: 'identities.id, person.name, segmentMembership, loyalty.points',
      filter: { fromIngestTimestamp: '2024-09-01T00:00:00Z' },
      additionalFields: {
        eventList: {
          fields: 'eventType, commerce.order.priceTotal',
          filter: { fromIngestTimestamp: '2024-06-01T00:00:00Z' },
        },
      },
    },
  ],
];

/** Creates a dataset of the XDM profile schema; `format` absent takes the default (Parquet). */
async function createDataset(client: TenantClient, name: string, format?: 'parquet' | 'json'): Promise<string> {
  const created = await request<string[]>('POST', '/dataSets', {
    tenant: client.tenant,
    body: { name, schemaRef: { id: XDM_PROFILE_UNION.id }, ...(format && { fileDescription: { format } }) },
  });
  expect(created.status).toBe(201);
  return created.body[0].slice('@/dataSets/'.length);
}

describe('Parquet datasets', () => {
  const client = new TenantClient(newTenant('parquet'));
  const datasets: Record<'parquet' | 'defaultFormat' | 'json', string> = { parquet: '', defaultFormat: '', json: '' };

  beforeAll(async () => {
    await seedTenant(client.tenant, GENERATION.profiles, GENERATION.seed);
    datasets.parquet = await createDataset(client, 'profiles as parquet', 'parquet');
    datasets.defaultFormat = await createDataset(client, 'profiles in the default format');
    datasets.json = await createDataset(client, 'profiles as json lines', 'json');
  });

  async function exportInto(datasetId: string, body: OracleRequest): Promise<JobRecord> {
    const job = await client.createOk({
      ...body,
      destination: { datasetId },
      schema: { name: '_xdm.context.profile' },
    });
    return waitForStatus(client, job.id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 300_000);
  }

  it.each(CASES.map(([name, body], index) => [name, body, index] as const))(
    'GIVEN a Parquet dataset and a JSON dataset WHEN the same job (%s) exports into both THEN the Parquet files, read by an independent reader, hold exactly the JSON Lines records and the oracle',
    async (_name, body, index) => {
      const parquetDataset = index === 0 ? datasets.defaultFormat : datasets.parquet;
      const [parquetJob, jsonJob] = await Promise.all([
        exportInto(parquetDataset, body),
        exportInto(datasets.json, body),
      ]);
      expect({ status: parquetJob.status, errors: parquetJob.errors }).toEqual({ status: 'SUCCEEDED', errors: [] });
      expect({ status: jsonJob.status, errors: jsonJob.errors }).toEqual({ status: 'SUCCEEDED', errors: [] });
      expect(parquetJob.destination.format).toBe('parquet');
      expect(jsonJob.destination.format).toBe('json');

      // readBatch checks every part against the manifest (size, sha256, records); Parquet parts
      // are read with DuckDB (bin/support/parquet-reader.ts), not with the writer's library.
      const parquet = await readBatch(client.tenant, parquetDataset, parquetJob.destination.batchId!);
      const json = await readBatch(client.tenant, datasets.json, jsonJob.destination.batchId!);
      expect(parquet.manifest).toMatchObject({ format: 'parquet', contentType: 'application/vnd.apache.parquet' });
      expect(json.manifest).toMatchObject({ format: 'json', contentType: 'application/x-ndjson' });
      expect(parquet.manifest!.parts.length).toBeGreaterThan(0);
      expect(parquet.manifest!.parts.every((part) => /^part-\d{4}-\d{6}\.parquet$/.test(part.file))).toBe(true);
      expect(json.manifest!.parts.every((part) => part.file.endsWith('.json.gz'))).toBe(true);

      expect(parquet.records.length).toBeGreaterThan(0);
      expect(canonicalMultiset(parquet.records)).toEqual(canonicalMultiset(json.records));
      const [expected] = expectedExport(body, GENERATION);
      expect(canonicalMultiset(parquet.records)).toEqual(
        canonicalMultiset(expected.lines.map((line) => JSON.parse(line))),
      );
      expect(parquetJob.metrics.totalExportedProfileCounter).toBe(parquet.records.length);
      expect(parquetJob.metrics.exportedProfileByNamespaceCounter).toEqual(
        jsonJob.metrics.exportedProfileByNamespaceCounter,
      );
    },
  );
});
