import type {
  Identity,
  MergedStoredProfile,
  ProfileFragment,
  StoredProfile,
  XdmProfile,
} from '../../contract/profile-store';

/** How fragments are ranked: the `attributeMerge` of a merge policy. */
export type AttributeMerge =
  { readonly type: 'timestampOrdered' } | { readonly type: 'dataSetPrecedence'; readonly order: readonly string[] };

/** The policy of jobs that recorded none (created before merge policies took effect): the built-in one's. */
export const TIMESTAMP_ORDERED: AttributeMerge = { type: 'timestampOrdered' };

export interface MergedProfile {
  readonly attributes: Record<string, unknown>;
  /** The newest fragment's update time (0 without fragments). */
  readonly mergedUpdateTime: number;
}

/**
 * The fragments best first, as the policy ranks them:
 * - `timestampOrdered`: newest `updateTime` first;
 * - `dataSetPrecedence`: the datasets of `order` in that order, then the unlisted ones newest
 *   first.
 * Ties (equal update times, or two fragments of one dataset) go to the smaller `datasetId`
 * (UTF-16 code-unit order), then to the fragment given first: the result never depends on the
 * order in which the store returned them, except for fragments equal in every key.
 */
export function rankFragments(fragments: readonly ProfileFragment[], merge: AttributeMerge): ProfileFragment[] {
  // Array.prototype.sort is stable: fragments equal in every key stay in the given order.
  if (merge.type === 'timestampOrdered') return fragments.slice().sort(byTimeThenDataset);
  const { order } = merge;
  const rank = (fragment: ProfileFragment) => {
    const index = order.indexOf(fragment.datasetId);
    return index === -1 ? order.length : index;
  };
  return fragments.slice().sort((a, b) => rank(a) - rank(b) || byTimeThenDataset(a, b));
}

function byTimeThenDataset(a: ProfileFragment, b: ProfileFragment): number {
  return b.updateTime - a.updateTime || (a.datasetId < b.datasetId ? -1 : a.datasetId > b.datasetId ? 1 : 0);
}

/**
 * Merges a profile's fragments by a merge policy. For each attribute (each leaf of the XDM
 * object: a string, number, boolean or array other than `identities`; each segment membership
 * `segmentMembership.<ns>.<segmentId>` as one whole) the value of the best-ranked fragment that
 * has it wins. Absent and null are "does not have it". When fragments disagree on the shape
 * (one has `a` as a value, another `a.b`), the better-ranked one wins the whole path.
 * `identities` are the union of every fragment's, deduplicated by namespace and id (the
 * best-ranked fragment's identity object kept whole), in rank order.
 *
 * Every profile an export reads goes through here, so it allocates only what the merged
 * profile holds: no entry arrays, no sets (a profile has a handful of identities).
 */
export function mergeFragments(fragments: readonly ProfileFragment[], merge: AttributeMerge): MergedProfile {
  const ranked = fragments.length > 1 ? rankFragments(fragments, merge) : fragments;
  const identities: Identity[] = [];
  const attributes: Record<string, unknown> = { identities };
  let mergedUpdateTime = 0;
  for (const fragment of ranked) {
    if (fragment.updateTime > mergedUpdateTime) mergedUpdateTime = fragment.updateTime;
    const source = fragment.attributes;
    for (const name of Object.keys(source)) {
      const value = source[name];
      if (name === 'identities') {
        if (Array.isArray(value)) for (const identity of value as Identity[]) addIdentity(identities, identity);
      } else {
        fillMissing(attributes, name, value, name === 'segmentMembership' ? 2 : Infinity);
      }
    }
  }
  return { attributes, mergedUpdateTime };
}

/** Adds an identity unless one of the same namespace and id is there (the object as its fragment has it). */
function addIdentity(identities: Identity[], identity: Identity): void {
  for (const known of identities) if (known.id === identity.id && known.namespace === identity.namespace) return;
  identities.push(identity);
}

/** A stored profile as an export sees it: its fragments merged by the job's policy. */
export function mergeStoredProfile(profile: StoredProfile, merge: AttributeMerge): MergedStoredProfile {
  return {
    profileId: profile.profileId,
    hasProfileRecord: profile.hasProfileRecord,
    mergedUpdateTime: profile.mergedUpdateTime,
    profile: mergeFragments(profile.fragments, merge).attributes as unknown as XdmProfile,
  };
}

/**
 * Sets `target[name]` from a lower-ranked `value` where the target does not have it yet,
 * descending into objects `depth` levels (below that an object is one attribute). Returns
 * whether the target has something at `name` afterwards.
 */
function fillMissing(target: Record<string, unknown>, name: string, value: unknown, depth: number): boolean {
  if (value === undefined || value === null) return target[name] !== undefined;
  const existing = target[name];
  if (depth > 0 && isObject(value)) {
    if (existing !== undefined && !isObject(existing)) return true;
    const into = (existing as Record<string, unknown> | undefined) ?? {};
    let filled = existing !== undefined;
    for (const child of Object.keys(value)) if (fillMissing(into, child, value[child], depth - 1)) filled = true;
    // An object of nulls only is "does not have it".
    if (filled && existing === undefined) target[name] = into;
    return filled;
  }
  if (existing === undefined) target[name] = value;
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
