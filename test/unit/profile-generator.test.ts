import {
  GENERATED_SEGMENTS,
  SOURCE_DATASETS,
  generateProfiles,
  type MembershipContext,
} from '../../bin/support/profile-generator';
import type { SegmentMembership } from '../../lambda/contract/profile-store';
import { mergeFragments, type AttributeMerge } from '../../lambda/domain/merge/merge-fragments';

const TIMESTAMP_ORDERED: AttributeMerge = { type: 'timestampOrdered' };
const CRM_FIRST: AttributeMerge = { type: 'dataSetPrecedence', order: [SOURCE_DATASETS.crm.id] };

describe('the generated profile store', () => {
  const data = [...generateProfiles({ profiles: 1000, seed: 3, events: false })].map(({ profile }) => profile);

  it('GIVEN a seed WHEN generated twice THEN the data is the same', () => {
    expect([...generateProfiles({ profiles: 1000, seed: 3, events: false })].map(({ profile }) => profile)).toEqual(
      data,
    );
  });

  it('GIVEN generated profiles WHEN stored THEN each is fragments of the source datasets, the newest giving the update time, memberships only in the segmentation fragment', () => {
    const sources = new Set<string>(Object.values(SOURCE_DATASETS).map(({ id }) => id));
    for (const profile of data) {
      expect(profile.fragments.length).toBeGreaterThan(0);
      expect(profile.fragments.every((fragment) => sources.has(fragment.datasetId))).toBe(true);
      expect(new Set(profile.fragments.map((fragment) => fragment.datasetId)).size).toBe(profile.fragments.length);
      expect(profile.mergedUpdateTime).toBe(Math.max(...profile.fragments.map((fragment) => fragment.updateTime)));
      for (const fragment of profile.fragments)
        expect('segmentMembership' in fragment.attributes).toBe(fragment.datasetId === SOURCE_DATASETS.segmentation.id);
    }
    // Profiles of several fragments are the rule, not the exception.
    expect(data.filter((profile) => profile.fragments.length >= 3).length).toBeGreaterThan(data.length / 2);
  });

  it.each([
    ['person.name.firstName', (profile: Record<string, any>) => profile.person?.name?.firstName],
    ['personalEmail.address', (profile: Record<string, any>) => profile.personalEmail?.address],
    ['homeAddress.city', (profile: Record<string, any>) => profile.homeAddress?.city],
    ['loyalty.tier', (profile: Record<string, any>) => profile.loyalty?.tier],
  ])(
    'GIVEN timestampOrdered and a CRM-first dataSetPrecedence WHEN the profiles are merged THEN %s differs on many of them',
    (_path, valueOf) => {
      const differing = data.filter(
        (profile) =>
          valueOf(mergeFragments(profile.fragments, TIMESTAMP_ORDERED).attributes) !==
          valueOf(mergeFragments(profile.fragments, CRM_FIRST).attributes),
      );
      expect(differing.length).toBeGreaterThan(data.length / 20);
    },
  );

  it('GIVEN a membership deriver WHEN profiles are generated THEN it sees the timestampOrdered merge and the events, its memberships are stored in the segmentation fragment, and nothing else changes', () => {
    const seen: MembershipContext[] = [];
    const gold = GENERATED_SEGMENTS[0];
    const derived = [
      ...generateProfiles({
        profiles: 200,
        seed: 3,
        memberships: (context): SegmentMembership => {
          seen.push(context);
          return context.merged.loyalty && (context.merged.loyalty as { tier?: string }).tier === 'gold'
            ? {
                [gold.namespace]: {
                  [gold.segmentId]: { status: 'realized', lastQualificationTime: '2024-05-01T00:00:00.000Z' },
                },
              }
            : {};
        },
      }),
    ];
    const drawn = [...generateProfiles({ profiles: 200, seed: 3 })];
    derived.forEach(({ profile, events }, index) => {
      const context = seen[index];
      const withoutMemberships = profile.fragments.filter(
        (fragment) => fragment.datasetId !== SOURCE_DATASETS.segmentation.id,
      );
      expect(context.profileId).toBe(profile.profileId);
      expect(context.events).toEqual(events);
      expect(context.merged).toEqual(mergeFragments(withoutMemberships, TIMESTAMP_ORDERED).attributes);
      // The same profiles as with drawn memberships, apart from the segmentation fragment.
      expect(withoutMemberships).toEqual(
        drawn[index].profile.fragments.filter((fragment) => fragment.datasetId !== SOURCE_DATASETS.segmentation.id),
      );
      const isGold = (context.merged.loyalty as { tier?: string } | undefined)?.tier === 'gold';
      const stored = profile.fragments.find((fragment) => fragment.datasetId === SOURCE_DATASETS.segmentation.id);
      expect(stored?.attributes.segmentMembership).toEqual(
        isGold
          ? { [gold.namespace]: { [gold.segmentId]: expect.objectContaining({ status: 'realized' }) } }
          : undefined,
      );
    });
    expect(seen.some((context) => (context.merged.loyalty as { tier?: string } | undefined)?.tier === 'gold')).toBe(
      true,
    );
  });
});
