import { GENERATED_SEGMENTS, generateProfiles } from '../../../bin/support/profile-generator';
import {
  membershipPartitionKey,
  membershipSortKey,
  afterMembershipsOf,
} from '../../../lambda/contract/membership-index';
import {
  profilePartitionKey,
  type ProfileFragment,
  type SegmentMembership,
  type StoredProfile,
} from '../../../lambda/contract/profile-store';
import { mergeSortedUnique } from '../../../lambda/domain/export/merge-sorted';
import { compileFilter } from '../../../lambda/domain/export/profile-filter';
import { mergeStoredProfile, type AttributeMerge } from '../../../lambda/domain/merge/merge-fragments';
import { readSelection, type SegmentSelector } from '../../../lambda/domain/export/read-selection';
import {
  membershipEntries,
  membershipIndexWrites,
  type ProfileItemChange,
} from '../../../lambda/domain/membership-index/membership-changes';

const TENANT = 'acme%40AdobeOrg|prod';
const PK = profilePartitionKey(TENANT, 7);
const Q1 = '2024-03-01T00:00:00.000Z';
const Q2 = '2024-06-01T00:00:00.000Z';

/** The memberships as the segmentation dataset's fragment of p1. */
const fragments = (segmentMembership?: SegmentMembership, datasetId = 'seg'): ProfileFragment[] | undefined =>
  segmentMembership && [{ datasetId, updateTime: 1, attributes: { segmentMembership } }];

const change = (oldMembership?: SegmentMembership, newMembership?: SegmentMembership): ProfileItemChange => ({
  pk: PK,
  profileId: 'p1',
  oldFragments: fragments(oldMembership),
  newFragments: fragments(newMembership),
});

describe('membership index writes', () => {
  it('GIVEN a new profile WHEN indexed THEN each membership is put under tenant#segment#shard and profile#namespace#dataset', () => {
    const writes = membershipIndexWrites([
      change(undefined, {
        ups: { s1: { status: 'realized', lastQualificationTime: Q1 } },
        AAM: { s1: { status: 'exited', lastQualificationTime: Q2 } },
      }),
    ]);
    expect(writes).toEqual([
      {
        kind: 'put',
        pk: `${TENANT}#s1#7`,
        sk: 'p1#ups#seg',
        entry: {
          profileId: 'p1',
          datasetId: 'seg',
          segmentId: 's1',
          namespace: 'ups',
          status: 'realized',
          qualifiedAt: Date.parse(Q1),
        },
      },
      {
        kind: 'put',
        pk: `${TENANT}#s1#7`,
        sk: 'p1#AAM#seg',
        entry: {
          profileId: 'p1',
          datasetId: 'seg',
          segmentId: 's1',
          namespace: 'AAM',
          status: 'exited',
          qualifiedAt: Date.parse(Q2),
        },
      },
    ]);
  });

  it('GIVEN an update WHEN indexed THEN a changed membership is put, a removed one deleted, an unchanged one not written', () => {
    const writes = membershipIndexWrites([
      change(
        {
          ups: {
            same: { status: 'realized', lastQualificationTime: Q1 },
            changed: { status: 'realized', lastQualificationTime: Q1 },
            gone: { status: 'existing', lastQualificationTime: Q1 },
          },
        },
        {
          ups: {
            same: { status: 'realized', lastQualificationTime: Q1 },
            changed: { status: 'exited', lastQualificationTime: Q2 },
          },
        },
      ),
    ]);
    expect(writes.map(({ kind, pk, sk }) => [kind, pk, sk])).toEqual([
      ['put', `${TENANT}#changed#7`, 'p1#ups#seg'],
      ['delete', `${TENANT}#gone#7`, 'p1#ups#seg'],
    ]);
  });

  it('GIVEN a removed profile WHEN indexed THEN every membership is deleted', () => {
    const writes = membershipIndexWrites([change({ ups: { s1: { status: 'realized', lastQualificationTime: Q1 } } })]);
    expect(writes).toEqual([{ kind: 'delete', pk: `${TENANT}#s1#7`, sk: 'p1#ups#seg' }]);
  });

  it('GIVEN a batch that changes one membership twice WHEN indexed THEN only its last state is written, once', () => {
    const realized = { ups: { s1: { status: 'realized' as const, lastQualificationTime: Q1 } } };
    expect(membershipIndexWrites([change(undefined, realized), change(realized, undefined)])).toEqual([
      { kind: 'delete', pk: `${TENANT}#s1#7`, sk: 'p1#ups#seg' },
    ]);
    expect(membershipIndexWrites([change(realized, undefined), change(undefined, realized)])).toEqual([
      expect.objectContaining({ kind: 'put', pk: `${TENANT}#s1#7`, sk: 'p1#ups#seg' }),
    ]);
  });

  it('GIVEN segment ids and namespaces with separators WHEN keyed THEN they are encoded and cannot collide', () => {
    expect(membershipPartitionKey(TENANT, 'a#1', 2)).toBe(`${TENANT}#a%231#2`);
    expect(membershipSortKey('p1', 'n#s', 'd#1')).toBe('p1#n%23s#d%231');
    // Every membership of p1 sorts before the cursor after p1, and the next profile after it.
    expect(membershipSortKey('p1', 'zzz', 'zzz') < afterMembershipsOf('p1')).toBe(true);
    expect(afterMembershipsOf('p1') < membershipSortKey('p1-0', 'AAM', '')).toBe(true);
    expect(afterMembershipsOf('p1') < membershipSortKey('p10', 'AAM', '')).toBe(true);
  });

  it('GIVEN a qualification time that is not a time WHEN indexed THEN it is left out (no filter can match it)', () => {
    expect(
      membershipEntries('p1', fragments({ ups: { s1: { status: 'realized', lastQualificationTime: 'yesterday' } } })),
    ).toEqual([]);
  });

  it('GIVEN two fragments holding the same segment and namespace WHEN indexed THEN each has its own entry, and a change of one leaves the other', () => {
    const crm: ProfileFragment = {
      datasetId: 'crm',
      updateTime: 1,
      attributes: { segmentMembership: { ups: { s1: { status: 'realized', lastQualificationTime: Q1 } } } },
    };
    const web: ProfileFragment = {
      datasetId: 'web',
      updateTime: 2,
      attributes: { segmentMembership: { ups: { s1: { status: 'exited', lastQualificationTime: Q2 } } } },
    };
    const created = membershipIndexWrites([{ pk: PK, profileId: 'p1', newFragments: [crm, web] }]);
    expect(created.map(({ kind, sk }) => [kind, sk])).toEqual([
      ['put', 'p1#ups#crm'],
      ['put', 'p1#ups#web'],
    ]);
    const webLeft = membershipIndexWrites([
      { pk: PK, profileId: 'p1', oldFragments: [crm, web], newFragments: [crm, { ...web, attributes: {} }] },
    ]);
    expect(webLeft).toEqual([{ kind: 'delete', pk: `${TENANT}#s1#7`, sk: 'p1#ups#web' }]);
  });
});

describe('read selection', () => {
  it('GIVEN segments WHEN a job is planned THEN only members are read, with default statuses and the window', () => {
    expect(
      readSelection({
        emptyProfiles: false,
        segments: [
          { segmentId: 's1', segmentNs: 'ups' },
          { segmentId: 's2', status: ['exited', 'existing'] },
        ],
        segmentQualificationTime: { startTime: Q1 },
        fromIngestTimestamp: Q2,
      }),
    ).toEqual({
      kind: 'members',
      segments: [
        { segmentId: 's1', namespace: 'ups', statuses: ['realized'], qualifiedFrom: Date.parse(Q1) },
        { segmentId: 's2', statuses: ['exited', 'existing'], qualifiedFrom: Date.parse(Q1) },
      ],
    });
  });

  it('GIVEN fromIngestTimestamp without segments WHEN planned THEN only profiles updated after it are read', () => {
    expect(readSelection({ emptyProfiles: true, fromIngestTimestamp: Q2 })).toEqual({
      kind: 'updatedAfter',
      after: Date.parse(Q2),
    });
  });

  it('GIVEN no segments and no ingest time WHEN planned THEN every profile is read', () => {
    expect(readSelection({ emptyProfiles: false })).toEqual({ kind: 'all' });
  });
});

/** What the index's Query with its FilterExpression returns for one selector (as the adapter asks DynamoDB). */
function passesIndex(selector: SegmentSelector, entry: ReturnType<typeof membershipEntries>[number]): boolean {
  return (
    entry.segmentId === selector.segmentId &&
    selector.statuses.includes(entry.status) &&
    (selector.namespace === undefined || entry.namespace === selector.namespace) &&
    (selector.qualifiedFrom === undefined || entry.qualifiedAt >= selector.qualifiedFrom) &&
    (selector.qualifiedTo === undefined || entry.qualifiedAt <= selector.qualifiedTo)
  );
}

/** The profiles whose index entries one of the selectors' Queries returns. */
function indexedMembers(profiles: readonly StoredProfile[], selectors: readonly SegmentSelector[]): string[] {
  return profiles
    .filter((profile) =>
      membershipEntries(profile.profileId, profile.fragments).some((entry) =>
        selectors.some((selector) => passesIndex(selector, entry)),
      ),
    )
    .map((profile) => profile.profileId);
}

const POLICIES: ReadonlyArray<[string, AttributeMerge]> = [
  ['timestampOrdered', { type: 'timestampOrdered' }],
  ['dataSetPrecedence', { type: 'dataSetPrecedence', order: ['crm', 'web'] }],
];

describe('the membership index finds exactly the profiles the filter matches', () => {
  const data = [...generateProfiles({ profiles: 2000, seed: 5, events: false })].map(({ profile }) => profile);
  const [A, , , AAM, , , SHARED] = GENERATED_SEGMENTS;
  it.each([
    [[{ segmentId: A.segmentId, segmentNs: 'ups' }], undefined],
    [[{ segmentId: SHARED.segmentId, status: ['realized', 'existing', 'exited'] }], undefined],
    [
      [
        { segmentId: AAM.segmentId, status: ['exited'] },
        { segmentId: SHARED.segmentId, segmentNs: 'AAM' },
      ],
      { startTime: '2024-04-01T00:00:00Z', endTime: '2024-09-30T00:00:00Z' },
    ],
    [[{ segmentId: 'no-such-segment' }], { endTime: '2024-05-01T00:00:00+02:00' }],
  ] as const)(
    'GIVEN segments %j and window %j WHEN read through the index THEN the members are the matching profiles',
    (segments, window) => {
      const filter = {
        emptyProfiles: true,
        segments: segments as never,
        ...(window && { segmentQualificationTime: window }),
      };
      const selection = readSelection(filter);
      if (selection.kind !== 'members') throw new Error('expected a member read');
      const compiled = compileFilter(filter);
      const matching = data
        .filter((profile) => compiled.matchingSegments(mergeStoredProfile(profile, POLICIES[0][1])).length > 0)
        .map((profile) => profile.profileId);
      // The generated memberships are in one fragment: the index holds exactly the matches.
      expect(indexedMembers(data, selection.segments)).toEqual(matching);
    },
  );

  it.each(POLICIES)(
    'GIVEN fragments that disagree on a membership WHEN read through the index under %s THEN the index holds a superset of the merged matches, and the filter on the merged profile leaves exactly them',
    (_name, merge) => {
      const member = (status: 'realized' | 'exited', at: string) => ({
        segmentMembership: { ups: { s1: { status, lastQualificationTime: at } } },
      });
      const profiles: StoredProfile[] = [
        ['both', member('realized', Q1), member('exited', Q2)],
        ['crmOnly', member('realized', Q1), {}],
        ['webOnly', {}, member('realized', Q2)],
        ['neither', {}, {}],
        ['webExited', member('realized', Q1), member('exited', Q1)],
      ].map(([profileId, crm, web], index) => ({
        profileId: profileId as string,
        hasProfileRecord: true,
        mergedUpdateTime: 300,
        fragments: [
          { datasetId: 'crm', updateTime: 100 + index, attributes: crm as Record<string, unknown> },
          { datasetId: 'web', updateTime: 300, attributes: web as Record<string, unknown> },
        ],
      }));
      for (const statuses of [['realized'], ['exited'], ['realized', 'exited']]) {
        const filter = { emptyProfiles: true, segments: [{ segmentId: 's1', status: statuses }] } as never;
        const selection = readSelection(filter);
        if (selection.kind !== 'members') throw new Error('expected a member read');
        const compiled = compileFilter(filter);
        const matches = (profile: StoredProfile) =>
          compiled.matchingSegments(mergeStoredProfile(profile, merge)).length > 0;
        const matching = profiles.filter(matches).map((profile) => profile.profileId);
        const indexed = indexedMembers(profiles, selection.segments);
        expect(indexed).toEqual(expect.arrayContaining(matching));
        expect(
          profiles.filter((profile) => indexed.includes(profile.profileId) && matches(profile)).map((p) => p.profileId),
        ).toEqual(matching);
      }
      // The policies do disagree on these profiles: realized members differ between them.
      const realized = compileFilter({ emptyProfiles: true, segments: [{ segmentId: 's1' }] } as never);
      const realizedUnder = (policy: AttributeMerge) =>
        profiles
          .filter((profile) => realized.matchingSegments(mergeStoredProfile(profile, policy)).length > 0)
          .map((profile) => profile.profileId);
      expect(realizedUnder(POLICIES[0][1])).toEqual(['crmOnly', 'webOnly']);
      expect(realizedUnder(POLICIES[1][1])).toEqual(['both', 'crmOnly', 'webOnly', 'webExited']);
    },
  );
});

describe('merging member streams', () => {
  async function* of(...ids: string[]) {
    yield* ids;
  }
  it('GIVEN ascending streams with shared and repeated ids WHEN merged THEN one ascending stream holds each id once', async () => {
    const merged: string[] = [];
    for await (const id of mergeSortedUnique([of('a', 'c', 'c', 'e'), of('b', 'c', 'f'), of(), of('a', 'z')]))
      merged.push(id);
    expect(merged).toEqual(['a', 'b', 'c', 'e', 'f', 'z']);
  });
});
