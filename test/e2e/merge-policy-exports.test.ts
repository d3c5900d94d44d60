import { seedSourceDatasets } from '../../bin/support/demo-datasets';
import { GENERATED_SEGMENTS, SOURCE_DATASETS } from '../../bin/support/profile-generator';
import type { JobRecord } from '../../lambda/contract/job-record';
import { TenantClient, newTenant, request } from './support/api-client';
import { readBatch } from './support/batches';
import { canonicalMultiset } from './support/canonical-json';
import { expectedExport, type OracleMerge, type OracleRequest } from './support/export-oracle';
import { localStack, seedTenant, waitForIndexedTenant, waitForStatus } from './support/local-stack-control';

jest.setTimeout(600_000);

// Seeded without events: the oracle and the index wait generate it the same way.
const GENERATION = { profiles: 800, seed: 61, events: false };
const [SEGMENT_A] = GENERATED_SEGMENTS;
/** The attributes the source datasets disagree on, and the identities (a union under every policy). */
const FIELDS = 'identities, person.name.firstName, personalEmail.address, homeAddress.city, loyalty.tier';

const TIMESTAMP_ORDERED: OracleMerge = { type: 'timestampOrdered' };
const CRM_FIRST: OracleMerge = {
  type: 'dataSetPrecedence',
  order: [SOURCE_DATASETS.crm.id, SOURCE_DATASETS.loyalty.id, SOURCE_DATASETS.web.id],
};

/**
 * The same job exported under the tenant's default policy (the built-in timestampOrdered) and
 * under a dataSetPrecedence policy of its own, each compared with the oracle's own merge of the
 * seeded fragments; the policy is changed right after the second job is created, which must not
 * change what that job exports (it recorded the version it resolved).
 */
describe('exports under merge policies', () => {
  const client = new TenantClient(newTenant('merge'));
  const jobs: Record<'newest' | 'crmFirst' | 'crmFirstSegment', JobRecord> = {} as never;

  const exportOf = async (job: JobRecord) => {
    expect({ status: job.status, errors: job.errors }).toEqual({ status: 'SUCCEEDED', errors: [] });
    const batch = await readBatch(client.tenant, job.destination.datasetId, job.destination.batchId!);
    return batch.records as Array<Record<string, any>>;
  };
  const oracle = (request: OracleRequest, merge: OracleMerge) =>
    canonicalMultiset(expectedExport(request, GENERATION, merge)[0].lines.map((line) => JSON.parse(line)));

  const SEGMENT_REQUEST: OracleRequest = {
    fields: FIELDS,
    filter: { segments: [{ segmentId: SEGMENT_A.segmentId, status: ['realized', 'existing'] }] },
  };

  beforeAll(async () => {
    const stack = localStack();
    await seedSourceDatasets(stack, client.tenant);
    await seedTenant(client.tenant, GENERATION.profiles, GENERATION.seed, GENERATION.events, stack);
    await waitForIndexedTenant(client.tenant, GENERATION.profiles, GENERATION.seed, stack, GENERATION.events);
    const policy = await request('POST', '/config/mergePolicies', {
      tenant: client.tenant,
      body: { name: 'CRM first', schema: { name: '_xdm.context.profile' }, attributeMerge: CRM_FIRST },
    });
    expect(policy.status).toBe(200);
    const job = async (body: Record<string, unknown>) =>
      client.createOk({
        ...body,
        destination: { datasetId: await client.newDataset('json') },
        schema: { name: '_xdm.context.profile' },
      });
    const newest = await job({ fields: FIELDS });
    const crmFirst = await job({ fields: FIELDS, mergePolicy: { id: policy.body.id } });
    const crmFirstSegment = await job({ ...SEGMENT_REQUEST, mergePolicy: { id: policy.body.id, version: 1 } });
    // Version 2 reverses the order: the jobs above recorded version 1 and export by it.
    const patched = await request('PATCH', `/config/mergePolicies/${policy.body.id}`, {
      tenant: client.tenant,
      body: {
        attributeMerge: { type: 'dataSetPrecedence', order: [...(CRM_FIRST as { order: string[] }).order].reverse() },
      },
    });
    expect(patched.body).toMatchObject({ version: 2 });
    expect(crmFirst.mergePolicy).toEqual({ id: policy.body.id, version: 1 });
    expect(newest.mergePolicy).toEqual({ id: 'timestampOrdered-none-mp', version: 1 });
    const finish = (created: JobRecord) =>
      waitForStatus(client, created.id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 300_000);
    [jobs.newest, jobs.crmFirst, jobs.crmFirstSegment] = await Promise.all(
      [newest, crmFirst, crmFirstSegment].map(finish),
    );
  });

  it('GIVEN the default policy (timestampOrdered) WHEN the job exports THEN each attribute comes from the newest fragment that has it, as the oracle merges', async () => {
    expect(canonicalMultiset(await exportOf(jobs.newest))).toEqual(oracle({ fields: FIELDS }, TIMESTAMP_ORDERED));
  });

  it('GIVEN a dataSetPrecedence policy patched after the job was created WHEN the job exports THEN each attribute comes from the first listed dataset that has it, by the version the job recorded', async () => {
    expect(canonicalMultiset(await exportOf(jobs.crmFirst))).toEqual(oracle({ fields: FIELDS }, CRM_FIRST));
  });

  it('GIVEN the two policies WHEN the same profiles are exported THEN they hold the same identities and differ on each conflicting attribute', async () => {
    const byIdentity = (records: Array<Record<string, any>>) =>
      // The same identities under both (their order is the ranking's): the profile's key here.
      new Map(records.map((record) => [canonicalMultiset(record.identities).join(), record]));
    const newest = byIdentity(await exportOf(jobs.newest));
    const crmFirst = byIdentity(await exportOf(jobs.crmFirst));
    expect([...crmFirst.keys()].sort()).toEqual([...newest.keys()].sort());
    const differing = { firstName: 0, address: 0, city: 0, tier: 0 };
    for (const [identities, record] of newest) {
      const other = crmFirst.get(identities)!;
      if (record.person?.name?.firstName !== other.person?.name?.firstName) differing.firstName += 1;
      if (record.personalEmail?.address !== other.personalEmail?.address) differing.address += 1;
      if (record.homeAddress?.city !== other.homeAddress?.city) differing.city += 1;
      if (record.loyalty?.tier !== other.loyalty?.tier) differing.tier += 1;
    }
    // Every conflicting attribute differs on a good share of the 800 profiles.
    for (const count of Object.values(differing)) expect(count).toBeGreaterThan(GENERATION.profiles / 20);
  });

  it('GIVEN a segment export under the dataSetPrecedence policy WHEN its members are read through the membership index THEN it is the oracle: the index holds every fragment, the filter applies to the merged profile', async () => {
    const records = await exportOf(jobs.crmFirstSegment);
    expect(records.length).toBeGreaterThan(0);
    expect(canonicalMultiset(records)).toEqual(oracle(SEGMENT_REQUEST, CRM_FIRST));
  });
});
