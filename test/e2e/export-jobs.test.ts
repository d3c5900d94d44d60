import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { JobRecord } from '../../lambda/contract/job-record';
import { GENERATED_SEGMENTS } from '../../bin/support/profile-generator';
import { TenantClient, dataDirectory, inParallel, newTenant } from './support/api-client';
import { readBatch as readLocalBatch } from '../../bin/support/batch-reader';
import { readBatch } from './support/batches';
import { canonicalMultiset } from './support/canonical-json';
import { expectedExport, type OracleRequest } from './support/export-oracle';
import { localStack, seedTenant, waitForIndexedTenant, waitForStatus } from './support/local-stack-control';

jest.setTimeout(600_000);

const GENERATION = { profiles: 3000, seed: 42 };
const [SEGMENT_A, SEGMENT_B, , SEGMENT_AAM, , SEGMENT_UPS, SHARED] = GENERATED_SEGMENTS;

const CASES: Array<[string, OracleRequest & Record<string, unknown>]> = [
  ['every profile with a record, all fields', {}],
  ['projected fields', { fields: 'identities.id, personalEmail.address, person.name.firstName' }],
  [
    'a segment in its namespace, realized by default',
    { filter: { segments: [{ segmentId: SEGMENT_A.segmentId, segmentNs: 'ups' }] } },
  ],
  [
    'segments by status, in any namespace',
    {
      filter: {
        segments: [
          { segmentId: SHARED.segmentId, status: ['realized', 'existing'] },
          { segmentId: SEGMENT_AAM.segmentId, status: ['exited'] },
        ],
      },
    },
  ],
  [
    'a qualification-time window',
    {
      filter: {
        segments: [{ segmentId: SEGMENT_B.segmentId, status: ['realized', 'existing', 'exited'] }],
        segmentQualificationTime: { startTime: '2024-03-01T00:00:00Z', endTime: '2024-06-30T23:59:59Z' },
      },
    },
  ],
  [
    'a window with only a start',
    {
      filter: {
        segments: [{ segmentId: SEGMENT_UPS.segmentId }],
        segmentQualificationTime: { startTime: '2024-10-01T00:00:00+02:00' },
      },
    },
  ],
  ['fromIngestTimestamp', { filter: { fromIngestTimestamp: '2025-03-01T00:00:00Z' } }],
  ['empty profiles included', { fields: 'identities', filter: { emptyProfiles: true } }],
  [
    'one batch per segment',
    {
      filter: {
        segments: [
          { segmentId: SHARED.segmentId, segmentNs: 'ups' },
          { segmentId: SHARED.segmentId, segmentNs: 'AAM', status: ['realized', 'exited'] },
          { segmentId: SEGMENT_A.segmentId },
        ],
      },
      destination: { segmentPerBatch: true },
    },
  ],
  [
    'events in an ingest-time window, projected',
    {
      fields: 'identities.id',
      additionalFields: {
        eventList: {
          fields: 'eventType, environment.browserDetails.name',
          filter: { fromIngestTimestamp: '2024-06-01T00:00:00Z', toIngestTimestamp: '2025-01-01T00:00:00Z' },
        },
      },
    },
  ],
  [
    'events after a time, all their fields',
    {
      fields: 'personalEmail',
      additionalFields: { eventList: { filter: { fromIngestTimestamp: '2025-04-01T00:00:00Z' } } },
    },
  ],
  [
    'every filter combined, one batch per segment',
    {
      fields: 'identities.namespace,loyalty.tier,segmentMembership',
      filter: {
        segments: [
          { segmentId: SEGMENT_A.segmentId, segmentNs: 'ups', status: ['realized', 'existing'] },
          { segmentId: SEGMENT_AAM.segmentId, status: ['exited', 'realized'] },
        ],
        segmentQualificationTime: { startTime: '2024-02-01T00:00:00Z', endTime: '2024-11-30T00:00:00Z' },
        fromIngestTimestamp: '2024-05-01T00:00:00Z',
        emptyProfiles: true,
      },
      additionalFields: { eventList: { fields: '_id', filter: { toIngestTimestamp: '2024-09-01T00:00:00Z' } } },
      destination: { segmentPerBatch: true },
    },
  ],
];

describe('export engine', () => {
  const client = new TenantClient(newTenant('export'));
  const jobs = new Map<string, JobRecord>();

  beforeAll(async () => {
    await seedTenant(client.tenant, GENERATION.profiles, GENERATION.seed);
    // Jobs that list segments read the membership index, which the service fills from the
    // profile table's stream: their oracle is the whole store once it is indexed.
    await waitForIndexedTenant(client.tenant, GENERATION.profiles, GENERATION.seed);
    const created = await inParallel(CASES.length, 4, async (index) => {
      const [, request] = CASES[index];
      return client.createOk({
        ...request,
        // A dataset of its own per case (JSON Lines, which the oracle comparison reads).
        destination: { datasetId: await client.newDataset('json'), ...(request.destination as object) },
        schema: { name: '_xdm.context.profile' },
      });
    });
    const finished = await inParallel(created.length, 4, (index) =>
      waitForStatus(client, created[index].id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 300_000),
    );
    CASES.forEach(([name], index) => jobs.set(name, finished[index]));
  });

  it.each(CASES.map(([name, request]) => [name, request] as const))(
    'exports exactly the oracle for: %s',
    async (name, request) => {
      const job = jobs.get(name)!;
      expect({ status: job.status, errors: job.errors }).toEqual({ status: 'SUCCEEDED', errors: [] });
      const expected = expectedExport(request, GENERATION);
      const batchIds = job.destination.segmentPerBatch
        ? job.destination.batches!.map((batch) => batch.batchId)
        : [job.destination.batchId!];
      expect(batchIds).toHaveLength(expected.length);

      let total = 0;
      const namespaces: Record<string, number> = {};
      for (const [index, batchId] of batchIds.entries()) {
        const batch = await readBatch(client.tenant, job.destination.datasetId, batchId);
        expect(batch.manifest).toMatchObject({
          jobId: job.id,
          batchId,
          datasetId: job.destination.datasetId,
          schema: { name: '_xdm.context.profile' },
        });
        if (job.destination.segmentPerBatch)
          expect(batch.manifest!.segment).toMatchObject({ segmentId: job.destination.batches![index].segmentId });
        expect(canonicalMultiset(batch.records)).toEqual(
          canonicalMultiset(expected[index].lines.map((line) => JSON.parse(line))),
        );
        total += batch.records.length;
        for (const [namespace, count] of Object.entries(expected[index].namespaces))
          namespaces[namespace] = (namespaces[namespace] ?? 0) + count;
      }
      expect(total).toBeGreaterThan(0);
      expect(job.metrics.totalExportedProfileCounter).toBe(total);
      expect(job.metrics.exportedProfileByNamespaceCounter).toEqual(namespaces);

      const { totalTime, profileExportTime, aCPDatasetWriteTime } = job.metrics;
      for (const timing of [totalTime!, profileExportTime!, aCPDatasetWriteTime!]) {
        expect(timing.totalTimeInMs).toBe(timing.endTimeInMs! - timing.startTimeInMs);
        expect(timing.totalTimeInMs).toBeGreaterThanOrEqual(0);
      }
      expect(totalTime!.startTimeInMs).toBe(job.creationTime);
      expect(profileExportTime!.startTimeInMs).toBeGreaterThanOrEqual(totalTime!.startTimeInMs);
      expect(aCPDatasetWriteTime!.endTimeInMs).toBeLessThanOrEqual(totalTime!.endTimeInMs!);
    },
  );

  it('continues shards over several invocations (a part file per invocation)', async () => {
    const job = jobs.get('every profile with a record, all fields')!;
    const batch = await readBatch(client.tenant, job.destination.datasetId, job.destination.batchId!);
    const sequences = batch.manifest!.parts.map((part) => Number(/-(\d{6})\.json\.gz$/.exec(part.file)![1]));
    expect(Math.max(...sequences)).toBeGreaterThanOrEqual(1);
    expect(batch.files).toEqual([...batch.manifest!.parts.map((part) => part.file), 'manifest.json'].sort());
  });

  it('GIVEN a batch of more files than one listing returns WHEN it is read back THEN every file is found, page after page', async () => {
    const job = jobs.get('every profile with a record, all fields')!;
    const whole = await readBatch(client.tenant, job.destination.datasetId, job.destination.batchId!);
    expect(whole.files.length).toBeGreaterThan(2);
    // S3 lists 1,000 keys at most per call: pages of 2 keys show the reader follows continuations.
    const paged = await readLocalBatch(
      localStack(),
      client.tenant,
      job.destination.datasetId,
      job.destination.batchId!,
      {
        listPageSize: 2,
      },
    );
    expect(paged.files).toEqual(whole.files);
    expect(paged.records).toHaveLength(whole.records.length);
  });

  it('is shown by `npm run batch`, which reads the job through the API as an authenticated client', async () => {
    // GIVEN a finished projected export
    const job = jobs.get('projected fields')!;
    // WHEN the batch command reads it for the job's tenant
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--openssl-legacy-provider',
        '--import',
        'tsx',
        'bin/batch.ts',
        String(job.id),
        ...['--org', client.tenant.orgId, '--sandbox', client.tenant.sandboxName],
        ...['--data-dir', dataDirectory(), '--lines', '1'],
      ],
      { cwd: `${__dirname}/../..` },
    );
    // THEN it prints the job, its manifest checked against the parts, and a projected profile
    expect(stdout).toContain(`Job ${job.id}: SUCCEEDED, ${job.metrics.totalExportedProfileCounter} profiles exported`);
    expect(stdout).toContain(`Batch ${job.destination.batchId}:`);
    expect(stdout).toContain('parts match the manifest (size, sha256, records): yes');
    const firstProfile = JSON.parse(stdout.trim().split('\n').at(-1)!.trim());
    expect(firstProfile).toHaveProperty('identities');
    expect(Object.keys(firstProfile).every((key) => ['identities', 'personalEmail', 'person'].includes(key))).toBe(
      true,
    );
  });
});
