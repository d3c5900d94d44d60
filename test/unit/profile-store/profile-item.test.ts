import {
  fromProfileItem,
  LEGACY_FRAGMENT_DATASET_ID,
  toProfileItem,
  UPDATE_TIME_INDEX,
} from '../../../lambda/contract/profile-store';
import { membershipEntries } from '../../../lambda/domain/membership-index/membership-changes';
import { fragmentedProfile } from '../support/fragmented-profile';

const PK = 'acme%40AdobeOrg|prod#7';

const profile = fragmentedProfile(
  ['crm', 100, { identities: [{ id: 'c1', namespace: 'crmId' }], person: { name: { firstName: 'Ada' } } }],
  ['web', 300, { identities: [{ id: 'e1', namespace: 'ECID' }], homeAddress: { city: 'Porto' } }],
);

describe('the profile item', () => {
  it('GIVEN a profile with fragments WHEN stored THEN the item keeps its keys, flags and update time, and holds the fragments by dataset id', () => {
    expect(toProfileItem(PK, profile)).toEqual({
      pk: PK,
      sk: 'p1',
      profileId: 'p1',
      hasProfileRecord: true,
      mergedUpdateTime: 300,
      fragments: {
        crm: { updateTime: 100, attributes: profile.fragments[0].attributes },
        web: { updateTime: 300, attributes: profile.fragments[1].attributes },
      },
    });
    // The update-time index is keyed on an attribute the item still has.
    expect(toProfileItem(PK, profile)[UPDATE_TIME_INDEX.sortKey]).toBe(300);
  });

  it('GIVEN an item written with fragments WHEN read THEN it is the profile that was stored', () => {
    expect(fromProfileItem(toProfileItem(PK, profile))).toEqual(profile);
  });

  it('GIVEN an item of the layout before fragments (profile, no fragments) WHEN read THEN it is one fragment of no dataset, updated at the merged update time', () => {
    const legacy = {
      pk: PK,
      sk: 'p2',
      profileId: 'p2',
      hasProfileRecord: false,
      mergedUpdateTime: 42,
      profile: { identities: [{ id: 'e2', namespace: 'ECID' }], segmentMembership: { ups: {} } },
    };
    expect(fromProfileItem(legacy)).toEqual({
      profileId: 'p2',
      hasProfileRecord: false,
      mergedUpdateTime: 42,
      fragments: [{ datasetId: LEGACY_FRAGMENT_DATASET_ID, updateTime: 42, attributes: legacy.profile }],
    });
    expect(LEGACY_FRAGMENT_DATASET_ID).toBe('');
  });

  it('GIVEN an item with neither fragments nor a profile WHEN read THEN it has no fragments', () => {
    expect(
      fromProfileItem({ pk: PK, sk: 'p3', profileId: 'p3', hasProfileRecord: false, mergedUpdateTime: 1 }),
    ).toEqual({
      profileId: 'p3',
      hasProfileRecord: false,
      mergedUpdateTime: 1,
      fragments: [],
    });
  });

  it('GIVEN a legacy item with memberships WHEN indexed THEN its memberships are indexed as those of the one fragment', () => {
    const legacy = fromProfileItem({
      pk: PK,
      sk: 'p4',
      profileId: 'p4',
      hasProfileRecord: true,
      mergedUpdateTime: 1,
      profile: {
        identities: [],
        segmentMembership: { ups: { s1: { status: 'realized', lastQualificationTime: '2024-01-01T00:00:00Z' } } },
      },
    });
    expect(membershipEntries('p4', legacy.fragments)).toEqual([
      {
        profileId: 'p4',
        datasetId: LEGACY_FRAGMENT_DATASET_ID,
        segmentId: 's1',
        namespace: 'ups',
        status: 'realized',
        qualifiedAt: Date.parse('2024-01-01T00:00:00Z'),
      },
    ]);
  });
});
