import type { StoredProfile } from '../../../lambda/contract/profile-store';
import type { ShardTask } from '../../../lambda/contract/workflow';
import { exportShardStep } from '../../../lambda/domain/export/export-shard-step';
import { planShards } from '../../../lambda/domain/export/plan-shards';
import { fragmentedProfile } from '../support/fragmented-profile';
import { shardTaskOf } from '../support/shard-task';
import type { PartStore, PartSummary, ProfileShardSource, ShardPage } from '../../../lambda/domain/export/ports';

function storedProfile(index: number): StoredProfile {
  return {
    profileId: `p${String(index).padStart(4, '0')}`,
    hasProfileRecord: index % 5 !== 0,
    mergedUpdateTime: 1000 + index,
    fragments: [
      {
        datasetId: 'crm',
        updateTime: 1000 + index,
        attributes: { identities: [{ id: `id-${index}`, namespace: index % 2 ? 'email' : 'ECID' }] },
      },
    ],
  };
}

/** A shard of `count` profiles served `pageSize` at a time, as the DynamoDB source does. */
function source(count: number, pageSize: number, failOnPage?: number): ProfileShardSource & { reads: number } {
  const profiles = Array.from({ length: count }, (_, index) => storedProfile(index));
  const result = {
    reads: 0,
    hasProfiles: async () => profiles.length > 0,
    async *pages(_tenant: unknown, _shard: number, { after }: { after?: string }): AsyncIterable<ShardPage> {
      let start = after ? profiles.findIndex((p) => p.profileId === after) + 1 : 0;
      do {
        result.reads += 1;
        if (failOnPage !== undefined && result.reads === failOnPage) throw new Error('the store went away');
        const page = profiles.slice(start, start + pageSize);
        start += page.length;
        yield {
          entries: page.map((profile) => ({ profile, events: [] })),
          lastProfileId: page.at(-1)?.profileId,
          hasMore: start < profiles.length,
        };
      } while (start < profiles.length);
    },
  };
  return result;
}

/** Files as an object store keeps them: a key written twice holds the second content. */
function store(): PartStore & { files: Map<string, string>; aborted: string[] } {
  const files = new Map<string, string>();
  const aborted: string[] = [];
  return {
    files,
    aborted,
    open(key) {
      let content = '';
      return {
        write: async (record) => {
          content += `${JSON.stringify(record)}\n`;
        },
        finish: async () => {
          files.set(key, content);
          return { bytes: content.length, sha256: `sha-of-${content.length}` };
        },
        abort: async () => {
          aborted.push(key);
        },
      };
    },
    async discard(key) {
      files.delete(key);
    },
  };
}

const task = shardTaskOf({}, { shard: 3 });

async function runToEnd(profiles: ProfileShardSource, parts: PartStore, recorded: PartSummary[]) {
  let current: ShardTask = task;
  const steps: boolean[] = [];
  for (;;) {
    const result = await exportShardStep(
      { source: profiles, parts, progress: { recordPart: async (p) => recorded.push(p) > 0 } },
      current,
      () => true,
    );
    steps.push(result.done);
    const { done, parts: _written, ...next } = result;
    if (done) return steps;
    current = next;
  }
}

describe('export shard step', () => {
  it('stops at a page boundary and continues from its cursor until the shard is done', async () => {
    const parts = store();
    const recorded: PartSummary[] = [];
    const steps = await runToEnd(source(25, 10), parts, recorded);
    expect(steps).toEqual([false, false, true]);
    expect([...parts.files.keys()]).toEqual([
      'org/prod/datasets/ds/batches/B/part-0003-000000.json.gz',
      'org/prod/datasets/ds/batches/B/part-0003-000001.json.gz',
      'org/prod/datasets/ds/batches/B/part-0003-000002.json.gz',
    ]);
    const lines = [...parts.files.values()].join('').trim().split('\n');
    // Every profile with a record, once, in order (profiles 0, 5, 10, ... have none).
    expect(lines).toEqual(
      Array.from({ length: 25 }, (_, i) => i)
        .filter((i) => i % 5 !== 0)
        .map((i) => JSON.stringify({ identities: [{ id: `id-${i}` }] })),
    );
    expect(recorded.map((p) => p.records)).toEqual([8, 8, 4]);
    // Profiles 1-9 without 5: 1, 3, 7, 9 carry an email identity; 2, 4, 6, 8 an ECID.
    expect(recorded[0].namespaces).toEqual({ email: 4, ECID: 4 });
  });

  it.each([
    ['no recorded rule (a job of before): timestampOrdered', undefined, { city: 'Lisboa', tier: 'gold' }],
    ['timestampOrdered', { type: 'timestampOrdered' as const }, { city: 'Lisboa', tier: 'gold' }],
    [
      'dataSetPrecedence, CRM first',
      { type: 'dataSetPrecedence' as const, order: ['crm'] },
      { city: 'Porto', tier: 'gold' },
    ],
  ])(
    'GIVEN fragments that disagree and a job whose rule is %s WHEN the shard is exported THEN the filter and the record see the profile merged by it',
    async (_name, attributeMerge, expected) => {
      const profile = fragmentedProfile(
        ['crm', 100, { identities: [{ id: 'c', namespace: 'crmId' }], homeAddress: { city: 'Porto' } }],
        ['web', 300, { identities: [{ id: 'e', namespace: 'ECID' }], homeAddress: { city: 'Lisboa' } }],
        [
          'loyalty',
          200,
          {
            loyalty: { tier: 'gold' },
            segmentMembership: { ups: { s1: { status: 'realized', lastQualificationTime: '2024-01-01T00:00:00Z' } } },
          },
        ],
      );
      const parts = store();
      const single: ProfileShardSource = {
        hasProfiles: async () => true,
        async *pages() {
          yield { entries: [{ profile, events: [] }], lastProfileId: 'p1', hasMore: false };
        },
      };
      await exportShardStep(
        { source: single, parts, progress: { recordPart: async () => true } },
        {
          ...task,
          job: {
            ...task.job,
            fields: 'identities.namespace,homeAddress.city,loyalty.tier',
            filter: { emptyProfiles: false, segments: [{ segmentId: 's1' }] },
            ...(attributeMerge && { attributeMerge }),
          },
        },
        () => false,
      );
      const [line] = [...parts.files.values()];
      const namespaces = attributeMerge?.type === 'dataSetPrecedence' ? ['crmId', 'ECID'] : ['ECID', 'crmId'];
      expect(JSON.parse(line)).toEqual({
        identities: namespaces.map((namespace) => ({ namespace })),
        homeAddress: { city: expected.city },
        loyalty: { tier: expected.tier },
      });
    },
  );

  it('writes the same files when a step is retried with the same input', async () => {
    const parts = store();
    const dependencies = { source: source(25, 10), parts, progress: { recordPart: async () => true } };
    const first = await exportShardStep(dependencies, task, () => true);
    const firstFiles = new Map(parts.files);
    const retried = await exportShardStep(dependencies, task, () => true);
    expect(retried).toEqual(first);
    expect(parts.files).toEqual(firstFiles);
  });

  it('exports the whole shard in one step when it has time', async () => {
    const parts = store();
    const result = await exportShardStep(
      { source: source(25, 10), parts, progress: { recordPart: async () => true } },
      task,
      () => false,
    );
    expect(result).toMatchObject({ done: true, sequence: 1, cursor: 'p0024' });
    expect(parts.files.size).toBe(1);
  });

  it('is done at once on an empty shard, writing nothing', async () => {
    const parts = store();
    const result = await exportShardStep(
      { source: source(0, 10), parts, progress: { recordPart: async () => true } },
      task,
      () => true,
    );
    expect(result.done).toBe(true);
    expect(result.parts).toEqual([]);
    expect(parts.files.size).toBe(0);
  });

  it('GIVEN the job ended while a part was written WHEN the step records the part THEN it deletes that part and reports none', async () => {
    const parts = store();
    const result = await exportShardStep(
      { source: source(25, 10), parts, progress: { recordPart: async () => false } },
      task,
      () => false,
    );
    // The listing that discarded the job's output may have run before this part was complete.
    expect(parts.files.size).toBe(0);
    expect(result.parts).toEqual([]);
  });

  it('abandons its open part files when reading fails, so nothing half-written becomes visible', async () => {
    const parts = store();
    await expect(
      exportShardStep(
        { source: source(25, 10, 2), parts, progress: { recordPart: async () => true } },
        task,
        () => false,
      ),
    ).rejects.toThrow('the store went away');
    expect(parts.files.size).toBe(0);
    expect(parts.aborted).toEqual(['org/prod/datasets/ds/batches/B/part-0003-000000.json.gz']);
  });
});

describe('shard planning', () => {
  const tenant = { orgId: 'o', sandboxName: 's' };

  it('GIVEN a tenant whose store layout lists occupied shards WHEN planned THEN exactly those shards, in order, with no shard probed', async () => {
    const probed: number[] = [];
    const shards = await planShards(
      { occupiedShards: async () => [3, 64, 900] },
      {
        hasProfiles: async (_tenant, shard) => {
          probed.push(shard);
          return true;
        },
      },
      tenant,
      32,
    );
    expect(shards).toEqual([3, 64, 900]);
    expect(probed).toEqual([]);
  });

  it('GIVEN a tenant with a layout but no profile yet WHEN planned THEN no shard (and none probed)', async () => {
    const shards = await planShards(
      { occupiedShards: async () => [] },
      {
        hasProfiles: async () => {
          throw new Error('no shard is probed');
        },
      },
      tenant,
      32,
    );
    expect(shards).toEqual([]);
  });

  it('GIVEN a tenant written without a store layout WHEN planned THEN each of the configured buckets is probed and only those holding profiles are planned', async () => {
    const occupied = new Set([0, 7, 47]);
    const probed: number[] = [];
    const withoutLayout = { occupiedShards: async () => undefined };
    const shards = await planShards(
      withoutLayout,
      {
        hasProfiles: async (_tenant, shard) => {
          probed.push(shard);
          return occupied.has(shard);
        },
      },
      tenant,
      48,
    );
    expect(shards).toEqual([0, 7, 47]);
    expect(probed.sort((a, b) => a - b)).toEqual(Array.from({ length: 48 }, (_, shard) => shard));
    expect(await planShards(withoutLayout, { hasProfiles: async () => false }, tenant, 32)).toEqual([]);
  });
});
