import { GENERATED_SEGMENTS, SEEDED_SEGMENT_DEFINITIONS } from '../../../bin/support/generated-segments';
import { generateProfiles } from '../../../bin/support/profile-generator';
import {
  compileSegmentEvaluation,
  EVALUATED_SEGMENT_NAMESPACE,
} from '../../../lambda/domain/export/segment-evaluation';
import { mergeStoredProfile } from '../../../lambda/domain/merge/merge-fragments';
import { parsePql } from '../../../lambda/domain/segmentation/pql-parser';

const EXPORT_NOW = Date.parse('2026-11-25T00:00:00Z');

const evaluation = compileSegmentEvaluation(
  SEEDED_SEGMENT_DEFINITIONS.map(({ segmentId, pql }) => {
    const parsed = parsePql(pql);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return { segmentId, condition: parsed.condition };
  }),
  EXPORT_NOW,
);

/** segmentId → status of a profile's memberships in the defined segments. */
function definedStatuses(membership: Record<string, Record<string, { status: string }>> | undefined) {
  const statuses: Record<string, string> = {};
  for (const { segmentId } of SEEDED_SEGMENT_DEFINITIONS) {
    const member = membership?.[EVALUATED_SEGMENT_NAMESPACE]?.[segmentId];
    if (member) statuses[segmentId] = member.status;
  }
  return statuses;
}

describe('the seeded segments: stored membership derived from the definitions', () => {
  it.each([
    ['with events', true],
    ['without events', false],
  ])(
    'GIVEN freshly generated profiles (%s) WHEN their defined segments are evaluated at export THEN the memberships are the stored ones exactly',
    (_case, events) => {
      const seen = new Map<string, number>();
      for (const { profile, events: stored } of generateProfiles({ profiles: 1500, seed: 11, events })) {
        const merged = mergeStoredProfile(profile, { type: 'timestampOrdered' });
        const storedStatuses = definedStatuses(merged.profile.segmentMembership);
        const evaluated = definedStatuses(evaluation.apply(merged, stored).profile.segmentMembership);
        expect({ profileId: profile.profileId, statuses: evaluated }).toEqual({
          profileId: profile.profileId,
          statuses: storedStatuses,
        });
        for (const status of Object.values(storedStatuses)) seen.set(status, (seen.get(status) ?? 0) + 1);
      }
      // Both statuses occur: the comparison is not of empty sets.
      expect(seen.get('realized')).toBeGreaterThan(100);
      expect(seen.get('exited')).toBeGreaterThan(100);
      expect(seen.has('existing')).toBe(false);
    },
  );

  it('GIVEN the defined segments WHEN seeded THEN they are the ups segments, and the others keep drawn memberships (existing included)', () => {
    expect(SEEDED_SEGMENT_DEFINITIONS.map(({ segmentId }) => segmentId)).toEqual(
      GENERATED_SEGMENTS.slice(0, 3).map(({ segmentId }) => segmentId),
    );
    const statuses = new Set<string>();
    for (const { profile } of generateProfiles({ profiles: 300, seed: 11, events: false })) {
      const membership = mergeStoredProfile(profile, { type: 'timestampOrdered' }).profile.segmentMembership ?? {};
      for (const member of Object.values(membership.AAM ?? {})) statuses.add(member.status);
    }
    expect([...statuses].sort()).toEqual(['existing', 'exited', 'realized']);
  });
});
