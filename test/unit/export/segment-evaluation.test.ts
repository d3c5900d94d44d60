import type { SegmentMembership, StoredEvent, MergedStoredProfile } from '../../../lambda/contract/profile-store';
import type { SegmentDefinition } from '../../../lambda/contract/segment-definition';
import { shardTaskOf } from '../support/shard-task';
import { SegmentDefinitionChangedError } from '../../../lambda/domain/errors';
import { compileExportPlan, targetsOf } from '../../../lambda/domain/export/export-plan';
import { exportShardStep } from '../../../lambda/domain/export/export-shard-step';
import type { ProfileShardSource, ShardPage } from '../../../lambda/domain/export/ports';
import { compileSegmentEvaluation, type EvaluatedSegment } from '../../../lambda/domain/export/segment-evaluation';
import { parsePql } from '../../../lambda/domain/segmentation/pql-parser';

const NOW = Date.parse('2026-01-15T10:00:00.000Z');
const NOW_TEXT = new Date(NOW).toISOString();
const BEFORE = '2024-05-01T00:00:00.000Z';

function segment(segmentId: string, pql: string): EvaluatedSegment {
  const parsed = parsePql(pql);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { segmentId, condition: parsed.condition };
}

function profile(tier: string | undefined, segmentMembership?: SegmentMembership): MergedStoredProfile {
  return {
    profileId: 'p1',
    hasProfileRecord: true,
    mergedUpdateTime: 1,
    profile: {
      identities: [{ id: 'a@example.com', namespace: 'email' }],
      ...(tier && { loyalty: { tier } }),
      ...(segmentMembership && { segmentMembership }),
    },
  };
}

const GOLD = segment('gold', 'loyalty.tier = "gold"');
const stored = (status: 'realized' | 'existing' | 'exited', namespace = 'ups') => ({
  [namespace]: { gold: { status, lastQualificationTime: BEFORE } },
});

describe('evaluation at export: the status a listed segment gets', () => {
  it.each([
    [
      'qualifies, no stored membership',
      'gold',
      undefined,
      { ups: { gold: { status: 'realized', lastQualificationTime: NOW_TEXT } } },
    ],
    [
      'qualifies, stored exited',
      'gold',
      stored('exited'),
      { ups: { gold: { status: 'realized', lastQualificationTime: NOW_TEXT } } },
    ],
    [
      'qualifies, stored existing in AAM: moved to ups',
      'gold',
      stored('existing', 'AAM'),
      { ups: { gold: { status: 'realized', lastQualificationTime: NOW_TEXT } } },
    ],
    [
      'does not qualify, stored realized',
      'silver',
      stored('realized'),
      { ups: { gold: { status: 'exited', lastQualificationTime: NOW_TEXT } } },
    ],
    [
      'does not qualify, stored existing',
      'silver',
      stored('existing'),
      { ups: { gold: { status: 'exited', lastQualificationTime: NOW_TEXT } } },
    ],
    [
      'does not qualify, stored exited (qualified before)',
      undefined,
      stored('exited'),
      { ups: { gold: { status: 'exited', lastQualificationTime: NOW_TEXT } } },
    ],
    ['does not qualify, no stored membership', 'silver', undefined, undefined],
  ] as const)(
    'GIVEN a profile that %s WHEN evaluated THEN its membership is as the rules say',
    (_case, tier, membership, expected) => {
      const evaluated = compileSegmentEvaluation([GOLD], NOW).apply(profile(tier, membership), []);
      expect(evaluated.profile.segmentMembership).toEqual(expected);
    },
  );

  it('GIVEN memberships of segments not evaluated WHEN evaluated THEN they stay as stored', () => {
    const other = { AAM: { other: { status: 'existing' as const, lastQualificationTime: BEFORE } } };
    const evaluated = compileSegmentEvaluation([GOLD], NOW).apply(profile('gold', other), []);
    expect(evaluated.profile.segmentMembership).toEqual({
      ...other,
      ups: { gold: { status: 'realized', lastQualificationTime: NOW_TEXT } },
    });
  });

  it('GIVEN a definition over events WHEN evaluated THEN the events decide, and usesEvents says they must be read', () => {
    const purchases = segment('buyers', 'xEvent.any(eventType = "commerce.purchases")');
    const evaluation = compileSegmentEvaluation([GOLD, purchases], NOW);
    const event = (eventType: string): StoredEvent => ({
      profileId: 'p1',
      eventId: eventType,
      ingestTime: 1,
      event: { eventType },
    });
    expect(evaluation.usesEvents).toBe(true);
    expect(compileSegmentEvaluation([GOLD], NOW).usesEvents).toBe(false);
    expect(evaluation.apply(profile('silver'), [event('commerce.purchases')]).profile.segmentMembership).toEqual({
      ups: { buyers: { status: 'realized', lastQualificationTime: NOW_TEXT } },
    });
    expect(
      evaluation.apply(profile('silver'), [event('web.webpagedetails.pageViews')]).profile.segmentMembership,
    ).toBeUndefined();
  });

  it('GIVEN a relative time window WHEN evaluated THEN "now" is the one instant given', () => {
    const recent = segment('recent', 'lastPurchase occurs <= 7 days before now');
    const withPurchase = (at: string): MergedStoredProfile => ({
      ...profile('silver'),
      profile: { ...profile('silver').profile, lastPurchase: at },
    });
    const evaluation = compileSegmentEvaluation([recent], NOW);
    expect(evaluation.apply(withPurchase('2026-01-10T00:00:00Z'), []).profile.segmentMembership).toBeDefined();
    expect(evaluation.apply(withPurchase('2026-01-01T00:00:00Z'), []).profile.segmentMembership).toBeUndefined();
  });
});

describe('evaluation at export: the filter sees the evaluated memberships', () => {
  const job = (segments: object[], window?: object) =>
    ({
      id: 1,
      imsOrgId: 'org',
      sandboxName: 'prod',
      destination: { datasetId: 'ds', segmentPerBatch: false, batchId: 'B' },
      filter: { emptyProfiles: false, segments, ...(window && { segmentQualificationTime: window }) },
      schema: { name: 's' },
      evaluationInfo: { segmentation: true },
    }) as unknown as Parameters<typeof compileExportPlan>[0];
  const exported = (filterJob: ReturnType<typeof job>, candidate: MergedStoredProfile) =>
    targetsOf(compileExportPlan(filterJob), compileSegmentEvaluation([GOLD], NOW).apply(candidate, [])).length > 0;

  it.each([
    ['default status (realized), a new qualifier', [{ segmentId: 'gold' }], undefined, profile('gold'), true],
    [
      'default status, stored realized that no longer qualifies',
      [{ segmentId: 'gold' }],
      undefined,
      profile('silver', stored('realized')),
      false,
    ],
    [
      'status exited, stored realized that no longer qualifies',
      [{ segmentId: 'gold', status: ['exited'] }],
      undefined,
      profile('silver', stored('realized')),
      true,
    ],
    [
      'namespace ups',
      [{ segmentId: 'gold', segmentNs: 'ups' }],
      undefined,
      profile('gold', stored('realized', 'AAM')),
      true,
    ],
    [
      'namespace AAM: evaluation writes ups only',
      [{ segmentId: 'gold', segmentNs: 'AAM' }],
      undefined,
      profile('gold', stored('realized', 'AAM')),
      false,
    ],
    [
      'a window around now',
      [{ segmentId: 'gold' }],
      { startTime: '2026-01-15T00:00:00Z' },
      profile('gold', stored('realized')),
      true,
    ],
    [
      'a window of the stored qualification time only',
      [{ segmentId: 'gold' }],
      { endTime: '2025-01-01T00:00:00Z' },
      profile('gold', stored('realized')),
      false,
    ],
  ] as const)(
    'GIVEN %s WHEN filtered after evaluation THEN exported is %s',
    (_case, segments, window, candidate, expected) => {
      expect(exported(job([...segments], window), candidate)).toBe(expected);
    },
  );

  it('GIVEN a job that evaluates segments WHEN planned THEN it reads every profile, not the membership index', () => {
    expect(compileExportPlan(job([{ segmentId: 'gold' }])).selection).toEqual({ kind: 'all' });
    const incremental = job([{ segmentId: 'gold' }]);
    (incremental.filter as { fromIngestTimestamp?: string }).fromIngestTimestamp = '2025-01-01T00:00:00Z';
    expect(compileExportPlan(incremental).selection).toEqual({
      kind: 'updatedAfter',
      after: Date.parse('2025-01-01T00:00:00Z'),
    });
  });
});

describe('evaluation at export: the shard step', () => {
  const definition = (id: string, value: string, updateTime: number): SegmentDefinition => ({
    id,
    name: id,
    schema: { name: '_xdm.context.profile' },
    expression: { type: 'PQL', format: 'pql/text', value },
    mergePolicyId: 'mp',
    creationTime: 1,
    updateTime,
  });
  const profiles = [
    profile('gold'),
    { ...profile('silver', stored('realized')), profileId: 'p2' },
    { ...profile('bronze'), profileId: 'p3' },
  ];
  const task = shardTaskOf(
    {
      filter: { emptyProfiles: false, segments: [{ segmentId: 'gold', status: ['realized', 'exited'] }] },
      fields: 'identities.id,segmentMembership',
      evaluationInfo: { segmentation: true },
      creationTime: 1000,
    },
    { evaluatedAt: NOW },
  );
  function run(updateTime: number) {
    const asked: unknown[] = [];
    const written: unknown[] = [];
    const source: ProfileShardSource = {
      hasProfiles: async () => true,
      async *pages(_tenant, _shard, options): AsyncIterable<ShardPage> {
        asked.push(options);
        yield {
          // Stored as one fragment each: the step merges them before evaluating.
          entries: profiles.map(({ profile: attributes, ...candidate }) => ({
            profile: { ...candidate, fragments: [{ datasetId: 'd', updateTime: 1, attributes }] },
            events: [],
          })),
          lastProfileId: 'p3',
          hasMore: false,
        };
      },
    };
    const result = exportShardStep(
      {
        source,
        parts: {
          open: () => ({
            write: async (record) => void written.push(record),
            finish: async () => ({ bytes: 1, sha256: 'x' }),
            abort: async () => undefined,
          }),
          discard: async () => undefined,
        },
        progress: { recordPart: async () => true },
        definitions: {
          get: async (_tenant, id) => (id === 'gold' ? definition(id, 'loyalty.tier = "gold"', updateTime) : undefined),
        },
      },
      task,
      () => false,
    );
    return { result, asked, written };
  }

  it('GIVEN definitions unchanged since the job was created WHEN a shard is exported THEN every profile is read and evaluated at the plan instant', async () => {
    const { result, asked, written } = run(1000);
    await result;
    expect(asked).toEqual([expect.objectContaining({ select: { kind: 'all' } })]);
    expect(written).toEqual([
      {
        identities: [{ id: 'a@example.com' }],
        segmentMembership: { ups: { gold: { status: 'realized', lastQualificationTime: NOW_TEXT } } },
      },
      {
        identities: [{ id: 'a@example.com' }],
        segmentMembership: { ups: { gold: { status: 'exited', lastQualificationTime: NOW_TEXT } } },
      },
    ]);
  });

  it('GIVEN a definition updated after the job was created WHEN a shard is exported THEN the step fails naming it, and nothing is read', async () => {
    const { result, asked } = run(1001);
    await expect(result).rejects.toBeInstanceOf(SegmentDefinitionChangedError);
    await expect(result).rejects.toThrow(/Segment definition gold was updated at .* after the job was created/);
    expect(asked).toEqual([]);
  });
});
