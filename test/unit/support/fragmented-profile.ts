import type { StoredProfile } from '../../../lambda/contract/profile-store';

/** Profile `p1` with a record, of these fragments (dataset id, update time, attributes); updated at the newest. */
export function fragmentedProfile(
  ...fragments: ReadonlyArray<readonly [datasetId: string, updateTime: number, attributes: Record<string, unknown>]>
): StoredProfile {
  return {
    profileId: 'p1',
    hasProfileRecord: true,
    mergedUpdateTime: Math.max(0, ...fragments.map(([, updateTime]) => updateTime)),
    fragments: fragments.map(([datasetId, updateTime, attributes]) => ({ datasetId, updateTime, attributes })),
  };
}
