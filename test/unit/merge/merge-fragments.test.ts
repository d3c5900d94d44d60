import type { ProfileFragment } from '../../../lambda/contract/profile-store';
import { mergeFragments, rankFragments, type AttributeMerge } from '../../../lambda/domain/merge/merge-fragments';

const TIMESTAMP: AttributeMerge = { type: 'timestampOrdered' };
const precedence = (...order: string[]): AttributeMerge => ({ type: 'dataSetPrecedence', order });

function fragment(datasetId: string, updateTime: number, attributes: Record<string, unknown>): ProfileFragment {
  return { datasetId, updateTime, attributes };
}

const crm = fragment('crm', 100, {
  identities: [{ id: 'c1', namespace: 'crm' }],
  person: { name: { firstName: 'Jon', lastName: 'Doe' } },
  loyalty: { tier: 'silver' },
});
const web = fragment('web', 300, {
  identities: [
    { id: 'a@x.com', namespace: 'email' },
    { id: 'c1', namespace: 'crm' },
  ],
  person: { name: { firstName: 'John' } },
  personalEmail: { address: 'a@x.com' },
});
const pos = fragment('pos', 200, { loyalty: { tier: 'gold', points: 5 }, person: { name: { firstName: 'Johnny' } } });

describe('merge rules: timestampOrdered', () => {
  it('GIVEN conflicting fragments WHEN merged THEN each attribute comes from the newest fragment that has it', () => {
    const merged = mergeFragments([crm, web, pos], TIMESTAMP);
    expect(merged.attributes).toEqual({
      identities: [
        { id: 'a@x.com', namespace: 'email' },
        { id: 'c1', namespace: 'crm' },
      ],
      person: { name: { firstName: 'John', lastName: 'Doe' } },
      personalEmail: { address: 'a@x.com' },
      loyalty: { tier: 'gold', points: 5 },
    });
    expect(merged.mergedUpdateTime).toBe(300);
  });

  it('GIVEN two fragments updated at the same time WHEN merged THEN the smaller dataset id wins, whatever their order', () => {
    const b = fragment('b', 100, { tier: 'from b' });
    const a = fragment('a', 100, { tier: 'from a' });
    expect(mergeFragments([b, a], TIMESTAMP).attributes.tier).toBe('from a');
    expect(mergeFragments([a, b], TIMESTAMP).attributes.tier).toBe('from a');
  });

  it('GIVEN two fragments of one dataset with the same time WHEN merged THEN the one given first wins', () => {
    const first = fragment('a', 100, { tier: 'first' });
    const second = fragment('a', 100, { tier: 'second' });
    expect(mergeFragments([first, second], TIMESTAMP).attributes.tier).toBe('first');
  });

  it('GIVEN the newest fragment lacks an attribute (absent or null) WHEN merged THEN an older fragment supplies it', () => {
    const newer = fragment('n', 200, { a: null, b: 'new' });
    const older = fragment('o', 100, { a: 'old', b: 'old', c: 'old' });
    expect(mergeFragments([newer, older], TIMESTAMP).attributes).toEqual({
      identities: [],
      a: 'old',
      b: 'new',
      c: 'old',
    });
  });

  it('GIVEN no fragment has an attribute WHEN merged THEN it is absent, and an empty object is not an attribute', () => {
    const merged = mergeFragments([fragment('a', 1, { x: {} }), fragment('b', 2, { y: { z: null } })], TIMESTAMP);
    expect(merged.attributes).toEqual({ identities: [] });
  });

  it('GIVEN no fragments WHEN merged THEN the profile has no identities and update time 0', () => {
    expect(mergeFragments([], TIMESTAMP)).toEqual({ attributes: { identities: [] }, mergedUpdateTime: 0 });
  });

  it('GIVEN fragments disagree on the shape of a path WHEN merged THEN the better-ranked one wins the whole path', () => {
    const valueFirst = mergeFragments(
      [fragment('a', 2, { name: 'Jo' }), fragment('b', 1, { name: { first: 'J' } })],
      TIMESTAMP,
    );
    expect(valueFirst.attributes.name).toBe('Jo');
    const objectFirst = mergeFragments(
      [fragment('a', 1, { name: 'Jo' }), fragment('b', 2, { name: { first: 'J' } })],
      TIMESTAMP,
    );
    expect(objectFirst.attributes.name).toEqual({ first: 'J' });
  });

  it('GIVEN arrays other than identities WHEN merged THEN an array is one attribute, never concatenated', () => {
    const merged = mergeFragments(
      [fragment('a', 2, { tags: ['x'] }), fragment('b', 1, { tags: ['y', 'z'] })],
      TIMESTAMP,
    );
    expect(merged.attributes.tags).toEqual(['x']);
  });

  it('GIVEN segment memberships in several fragments WHEN merged THEN each membership is one attribute from the newest fragment that has it', () => {
    const newer = fragment('n', 200, {
      segmentMembership: { ups: { s1: { status: 'exited', lastQualificationTime: '2026-02-01T00:00:00Z' } } },
    });
    const older = fragment('o', 100, {
      segmentMembership: {
        ups: {
          s1: { status: 'realized', lastQualificationTime: '2026-01-01T00:00:00Z', extra: 'kept only with its entry' },
          s2: { status: 'existing', lastQualificationTime: '2026-01-02T00:00:00Z' },
        },
        other: { s3: { status: 'realized', lastQualificationTime: '2026-01-03T00:00:00Z' } },
      },
    });
    expect(mergeFragments([older, newer], TIMESTAMP).attributes.segmentMembership).toEqual({
      ups: {
        s1: { status: 'exited', lastQualificationTime: '2026-02-01T00:00:00Z' },
        s2: { status: 'existing', lastQualificationTime: '2026-01-02T00:00:00Z' },
      },
      other: { s3: { status: 'realized', lastQualificationTime: '2026-01-03T00:00:00Z' } },
    });
  });
});

describe('merge rules: dataSetPrecedence', () => {
  it('GIVEN an order WHEN merged THEN the first listed dataset that has an attribute wins, even when older', () => {
    const merged = mergeFragments([crm, web, pos], precedence('crm', 'pos', 'web'));
    expect(merged.attributes).toEqual({
      identities: [
        { id: 'c1', namespace: 'crm' },
        { id: 'a@x.com', namespace: 'email' },
      ],
      person: { name: { firstName: 'Jon', lastName: 'Doe' } },
      loyalty: { tier: 'silver', points: 5 },
      personalEmail: { address: 'a@x.com' },
    });
    expect(merged.mergedUpdateTime).toBe(300);
  });

  it('GIVEN datasets not in the order WHEN merged THEN they come after the listed ones, newest first', () => {
    const ranked = rankFragments([crm, web, pos], precedence('pos'));
    expect(ranked.map((f) => f.datasetId)).toEqual(['pos', 'web', 'crm']);
    expect(mergeFragments([crm, web, pos], precedence('pos')).attributes.person).toEqual({
      name: { firstName: 'Johnny', lastName: 'Doe' },
    });
  });

  it('GIVEN unlisted datasets updated at the same time WHEN ranked THEN the smaller dataset id comes first', () => {
    const ranked = rankFragments(
      [fragment('z', 5, {}), fragment('y', 5, {}), fragment('listed', 1, {})],
      precedence('listed'),
    );
    expect(ranked.map((f) => f.datasetId)).toEqual(['listed', 'y', 'z']);
  });

  it('GIVEN an order naming datasets the profile has no fragment of WHEN merged THEN they are skipped', () => {
    expect(mergeFragments([crm, pos], precedence('gone', 'pos')).attributes.loyalty).toEqual({
      tier: 'gold',
      points: 5,
    });
  });

  it('GIVEN the listed dataset lacks an attribute WHEN merged THEN the next dataset supplies it', () => {
    const merged = mergeFragments([crm, web], precedence('crm', 'web'));
    expect(merged.attributes.personalEmail).toEqual({ address: 'a@x.com' });
  });

  it('GIVEN an empty order WHEN merged THEN it is timestampOrdered', () => {
    expect(mergeFragments([crm, web, pos], precedence())).toEqual(mergeFragments([crm, web, pos], TIMESTAMP));
  });
});
