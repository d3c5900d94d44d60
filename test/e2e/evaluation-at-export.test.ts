import { GENERATED_SEGMENTS } from '../../bin/support/generated-segments';
import { generateProfiles, SOURCE_DATASETS, type GeneratedProfile } from '../../bin/support/profile-generator';
import type { JobRecord } from '../../lambda/contract/job-record';
import type { ProfileFragment } from '../../lambda/contract/profile-store';
import { expectProblem, inParallel, newTenant, request, TenantClient } from './support/api-client';
import { readBatch } from './support/batches';
import { oracleMerge } from './support/export-oracle';
import { ingestFragments } from './support/ingest-fragments';
import {
  holdingExports,
  localStack,
  seedTenant,
  waitForIndexedTenant,
  waitForStatus,
} from './support/local-stack-control';

jest.setTimeout(600_000);

const GENERATION = { profiles: 600, seed: 91 };
const [IN_PORTUGAL, BIG_PURCHASES, , AAM_SEGMENT] = GENERATED_SEGMENTS;
type Merged = Record<string, any>;
type Events = GeneratedProfile['events'];

/**
 * What the seeded definitions say (bin/support/generated-segments.ts), written here as plain
 * code over the oracle's own merge: the check does not run the engine's PQL evaluator.
 */
const QUALIFIES: Record<string, (merged: Merged, events: Events) => boolean> = {
  [IN_PORTUGAL.segmentId]: (merged) =>
    ['gold', 'platinum'].includes(merged.loyalty?.tier) && merged.homeAddress?.countryCode === 'PT',
  [BIG_PURCHASES.segmentId]: (_merged, events) =>
    events.some(
      ({ event }: { event: Merged }) =>
        event.eventType === 'commerce.purchases' && event.commerce?.order?.priceTotal >= 250,
    ),
};

/** A profile as the exported records name it: its identity ids, sorted. */
const keyOf = (identities: Array<{ id: string }>) =>
  identities
    .map(({ id }) => id)
    .sort()
    .join(' ');

const sorted = (statuses: Map<string, string>) => new Map([...statuses].sort());

/**
 * The oracle: profile → status of `segmentId` in an export listing it with statuses realized
 * and exited — evaluated (realized when it qualifies, exited when stored membership says it
 * qualified before) or from stored membership.
 */
function oracle(data: readonly GeneratedProfile[], segmentId: string, evaluated: boolean): Map<string, string> {
  const expected = new Map<string, string>();
  for (const { profile, events } of data) {
    if (!profile.hasProfileRecord) continue;
    const merged = oracleMerge(profile.fragments, { type: 'timestampOrdered' }) as Merged;
    const stored: string | undefined = merged.segmentMembership?.ups?.[segmentId]?.status;
    const status = evaluated ? (QUALIFIES[segmentId](merged, events) ? 'realized' : stored && 'exited') : stored;
    if (status === 'realized' || status === 'exited') expected.set(keyOf(merged.identities), status);
  }
  return sorted(expected);
}

describe('evaluation of segments at export (evaluationInfo.segmentation)', () => {
  const client = new TenantClient(newTenant('evaluate'));
  const stack = localStack();
  let data = [...generateProfiles({ ...GENERATION, events: true })];

  /** Exports `segmentId` (realized and exited): each exported profile's status, the qualification times, the job. */
  async function exportSegment(segmentId: string, evaluated: boolean) {
    const job = await client.createOk({
      fields: 'identities,segmentMembership',
      filter: { segments: [{ segmentId, status: ['realized', 'exited'] }] },
      destination: { datasetId: await client.newDataset('json') },
      schema: { name: '_xdm.context.profile' },
      ...(evaluated && { evaluationInfo: { segmentation: true } }),
    });
    const finished: JobRecord = await waitForStatus(client, job.id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 300_000);
    expect({ status: finished.status, errors: finished.errors }).toEqual({ status: 'SUCCEEDED', errors: [] });
    const batch = await readBatch(client.tenant, finished.destination.datasetId, finished.destination.batchId!);
    const statuses = new Map<string, string>();
    const qualificationTimes = new Set<string>();
    for (const record of batch.records as Merged[]) {
      const member = record.segmentMembership?.ups?.[segmentId];
      statuses.set(keyOf(record.identities), member?.status);
      qualificationTimes.add(member?.lastQualificationTime);
    }
    return { statuses: sorted(statuses), qualificationTimes, job: finished };
  }

  /** The segment exported evaluated, then from stored membership, side by side. */
  const both = (segmentId: string) => inParallel(2, 2, (index) => exportSegment(segmentId, index === 0));

  beforeAll(async () => {
    await seedTenant(client.tenant, GENERATION.profiles, GENERATION.seed, true, stack);
    // The stored-membership export reads the membership index.
    await waitForIndexedTenant(client.tenant, GENERATION.profiles, GENERATION.seed, stack);
  });

  it.each([
    ['a definition over attributes', IN_PORTUGAL.segmentId],
    ['a definition over events', BIG_PURCHASES.segmentId],
  ])(
    "GIVEN freshly seeded data and %s WHEN the segment is exported evaluated and from stored membership THEN both hold the same profiles with the same statuses, the oracle's",
    async (_case, segmentId) => {
      const [evaluated, stored] = await both(segmentId);
      const expected = oracle(data, segmentId, true);
      expect(new Set(expected.values())).toEqual(new Set(['realized', 'exited']));
      expect(evaluated.statuses).toEqual(expected);
      expect(stored.statuses).toEqual(oracle(data, segmentId, false));
      expect(evaluated.statuses).toEqual(stored.statuses);
      // One instant for the whole export, between the job's creation and its end.
      expect(evaluated.qualificationTimes.size).toBe(1);
      const [instant] = [...evaluated.qualificationTimes].map((time) => Date.parse(time));
      expect(instant).toBeGreaterThanOrEqual(evaluated.job.creationTime);
      expect(instant).toBeLessThanOrEqual(evaluated.job.metrics.totalTime!.endTimeInMs!);
    },
  );

  it('GIVEN profiles changed after seeding WHEN the segment is exported again THEN evaluation realizes the new qualifiers and exits the lost ones, while the stored-membership export is unchanged', async () => {
    const segmentId = IN_PORTUGAL.segmentId;
    const [evaluatedBefore, storedBefore] = await both(segmentId);
    const merged = (generated: GeneratedProfile) =>
      oracleMerge(generated.profile.fragments, { type: 'timestampOrdered' }) as Merged;
    const qualifies = (generated: GeneratedProfile) => QUALIFIES[segmentId](merged(generated), generated.events);
    const candidates = data.filter(({ profile }) => profile.hasProfileRecord);
    const losers = candidates.filter(qualifies).slice(0, 4);
    const gainers = candidates
      .filter((generated) => !qualifies(generated) && !merged(generated).segmentMembership?.ups?.[segmentId])
      .slice(0, 4);
    expect([losers.length, gainers.length]).toEqual([4, 4]);

    // As ingestion would: a newer loyalty fragment (and, for gainers, a newer CRM address in
    // Portugal; the loyalty fragment newest, so its tier wins over a stale one the CRM may hold).
    const now = Date.now();
    const replaced = (
      generated: GeneratedProfile,
      datasetId: string,
      updateTime: number,
      change: (attributes: Merged) => Merged,
    ) => {
      const current = generated.profile.fragments.find((fragment) => fragment.datasetId === datasetId);
      const fragment: ProfileFragment = {
        datasetId,
        updateTime,
        attributes: change({ identities: [], ...current?.attributes }),
      };
      return { profileId: generated.profile.profileId, fragment };
    };
    const tier = (value: string) => (attributes: Merged) => ({
      ...attributes,
      loyalty: { ...attributes.loyalty, tier: value },
    });
    const changes = [
      ...losers.map((generated) => replaced(generated, SOURCE_DATASETS.loyalty.id, now + 1, tier('bronze'))),
      ...gainers.flatMap((generated) => [
        replaced(generated, SOURCE_DATASETS.crm.id, now, (attributes) => ({
          ...attributes,
          homeAddress: { city: 'Porto', countryCode: 'PT' },
        })),
        replaced(generated, SOURCE_DATASETS.loyalty.id, now + 1, tier('gold')),
      ]),
    ];
    await ingestFragments(stack, client.tenant, changes);
    data = data.map((generated) => {
      const own = changes.filter((change) => change.profileId === generated.profile.profileId).map((c) => c.fragment);
      if (own.length === 0) return generated;
      const kept = generated.profile.fragments.filter(({ datasetId }) => !own.some((f) => f.datasetId === datasetId));
      return {
        ...generated,
        profile: { ...generated.profile, mergedUpdateTime: now + 1, fragments: [...kept, ...own] },
      };
    });

    const [evaluatedAfter, storedAfter] = await both(segmentId);
    expect(storedAfter.statuses).toEqual(storedBefore.statuses);
    const expected = new Map(evaluatedBefore.statuses);
    for (const generated of gainers) expected.set(keyOf(merged(generated).identities), 'realized');
    for (const generated of losers) expected.set(keyOf(merged(generated).identities), 'exited');
    expect(evaluatedAfter.statuses).toEqual(sorted(expected));
    expect(evaluatedAfter.statuses).toEqual(oracle(data, segmentId, true));
  });

  it('GIVEN a listed segment without a definition WHEN a job evaluating it is created THEN 422 names its segmentId', async () => {
    const response = await client.create({
      filter: { segments: [{ segmentId: IN_PORTUGAL.segmentId }, { segmentId: AAM_SEGMENT.segmentId }] },
      destination: { datasetId: await client.newDataset('json') },
      schema: { name: '_xdm.context.profile' },
      evaluationInfo: { segmentation: true },
    });
    expect(expectProblem(response, 422).errors).toEqual([
      expect.objectContaining({ path: '/filter/segments/1/segmentId', code: 'not_found' }),
    ]);
  });

  it('GIVEN a definition updated after the job was created WHEN the job runs THEN it ends FAILED naming the definition, rather than evaluating what its creator never saw', async () => {
    const created = await request('POST', '/segment/definitions', {
      tenant: client.tenant,
      body: {
        name: 'Gold members',
        schema: { name: '_xdm.context.profile' },
        expression: { type: 'PQL', format: 'pql/text', value: 'loyalty.tier = "gold"' },
      },
    });
    expect(created.status).toBe(200);
    const definitionId: string = created.body.id;
    const job = await holdingExports(async () => {
      const held = await client.createOk({
        filter: { segments: [{ segmentId: definitionId }] },
        destination: { datasetId: await client.newDataset('json') },
        schema: { name: '_xdm.context.profile' },
        evaluationInfo: { segmentation: true },
      });
      const patched = await request('PATCH', `/segment/definitions/${definitionId}`, {
        tenant: client.tenant,
        body: { expression: { type: 'PQL', format: 'pql/text', value: 'loyalty.tier = "platinum"' } },
      });
      expect(patched.status).toBe(200);
      return held;
    });
    const failed = await waitForStatus(client, job.id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 300_000);
    expect(failed.status).toBe('FAILED');
    expect(failed.errors).toEqual([
      {
        code: 'SegmentDefinitionChanged',
        msg: expect.stringMatching(
          new RegExp(`^Segment definition ${definitionId} was updated at .* after the job was created`),
        ),
        callStack: 'ExportShards',
      },
    ]);
  });
});
