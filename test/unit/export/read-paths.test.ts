import { GENERATED_SEGMENTS, generateProfiles } from '../../../bin/support/profile-generator';
import {
  membershipPartitionKey,
  membershipSortKey,
  afterMembershipsOf,
} from '../../../lambda/contract/membership-index';
import { profilePartitionKey, type SegmentMembership } from '../../../lambda/contract/profile-store';
import { mergeSortedUnique } from '../../../lambda/domain/export/merge-sorted';
import { compileFilter } from '../../../lambda/domain/export/profile-filter';
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

const change = (oldMembership?: SegmentMembership, newMembership?: SegmentMembership): ProfileItemChange => ({
  pk: PK,
  profileId: 'p1',
  oldMembership,
  newMembership,
});

describe('membership index writes', () => {
  it('GIVEN a new profile WHEN indexed THEN each membership is put under tenant#segment#shard and profile#namespace', () => {
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
        sk: 'p1#ups',
        entry: { profileId: 'p1', segmentId: 's1', namespace: 'ups', status: 'realized', qualifiedAt: Date.parse(Q1) },
      },
      {
        kind: 'put',
        pk: `${TENANT}#s1#7`,
        sk: 'p1#AAM',
        entry: { profileId: 'p1', segmentId: 's1', namespace: 'AAM', status: 'exited', qualifiedAt: Date.parse(Q2) },
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
      ['put', `${TENANT}#changed#7`, 'p1#ups'],
      ['delete', `${TENANT}#gone#7`, 'p1#ups'],
    ]);
  });

  it('GIVEN a removed profile WHEN indexed THEN every membership is deleted', () => {
    const writes = membershipIndexWrites([change({ ups: { s1: { status: 'realized', lastQualificationTime: Q1 } } })]);
    expect(writes).toEqual([{ kind: 'delete', pk: `${TENANT}#s1#7`, sk: 'p1#ups' }]);
  });

  it('GIVEN a batch that changes one membership twice WHEN indexed THEN only its last state is written, once', () => {
    const realized = { ups: { s1: { status: 'realized' as const, lastQualificationTime: Q1 } } };
    expect(membershipIndexWrites([change(undefined, realized), change(realized, undefined)])).toEqual([
      { kind: 'delete', pk: `${TENANT}#s1#7`, sk: 'p1#ups' },
    ]);
    expect(membershipIndexWrites([change(realized, undefined), change(undefined, realized)])).toEqual([
      expect.objectContaining({ kind: 'put', pk: `${TENANT}#s1#7`, sk: 'p1#ups' }),
    ]);
  });

  it('GIVEN segment ids and namespaces with separators WHEN keyed THEN they are encoded and cannot collide', () => {
    expect(membershipPartitionKey(TENANT, 'a#1', 2)).toBe(`${TENANT}#a%231#2`);
    expect(membershipSortKey('p1', 'n#s')).toBe('p1#n%23s');
    // Every membership of p1 sorts before the cursor after p1, and the next profile after it.
    expect(membershipSortKey('p1', 'zzz') < afterMembershipsOf('p1')).toBe(true);
    expect(afterMembershipsOf('p1') < membershipSortKey('p1-0', 'AAM')).toBe(true);
    expect(afterMembershipsOf('p1') < membershipSortKey('p10', 'AAM')).toBe(true);
  });

  it('GIVEN a qualification time that is not a time WHEN indexed THEN it is left out (no filter can match it)', () => {
    expect(
      membershipEntries('p1', { ups: { s1: { status: 'realized', lastQualificationTime: 'yesterday' } } }),
    ).toEqual([]);
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

describe('the membership index finds exactly the profiles the filter matches', () => {
  const data = [...generateProfiles({ profiles: 2000, seed: 5, events: false })];
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
        .filter(({ profile }) => compiled.matchingSegments(profile).length > 0)
        .map(({ profile }) => profile.profileId);
      const indexed = data
        .filter(({ profile }) =>
          membershipEntries(profile.profileId, profile.profile.segmentMembership).some((entry) =>
            selection.segments.some((selector) => passesIndex(selector, entry)),
          ),
        )
        .map(({ profile }) => profile.profileId);
      expect(indexed).toEqual(matching);
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
