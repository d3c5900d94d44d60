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
  const precedence = merge.type === 'dataSetPrecedence' ? merge.order : [];
  const rank = (fragment: ProfileFragment) => {
    const index = precedence.indexOf(fragment.datasetId);
    return index === -1 ? precedence.length : index;
  };
  return fragments
    .map((fragment, given) => ({ fragment, given }))
    .sort(
      (a, b) =>
        rank(a.fragment) - rank(b.fragment) ||
        b.fragment.updateTime - a.fragment.updateTime ||
        (a.fragment.datasetId < b.fragment.datasetId ? -1 : a.fragment.datasetId > b.fragment.datasetId ? 1 : 0) ||
        a.given - b.given,
    )
    .map(({ fragment }) => fragment);
}

/**
 * Merges a profile's fragments by a merge policy. For each attribute (each leaf of the XDM
 * object: a string, number, boolean or array other than `identities`; each segment membership
 * `segmentMembership.<ns>.<segmentId>` as one whole) the value of the best-ranked fragment that
 * has it wins. Absent and null are "does not have it". When fragments disagree on the shape
 * (one has `a` as a value, another `a.b`), the better-ranked one wins the whole path.
 * `identities` are the union of every fragment's, deduplicated by namespace and id (the
 * best-ranked fragment's identity object kept whole), in rank order.
 */
export function mergeFragments(fragments: readonly ProfileFragment[], merge: AttributeMerge): MergedProfile {
  const ranked = rankFragments(fragments, merge);
  const attributes: Record<string, unknown> = {};
  const identities: Identity[] = [];
  const seen = new Set<string>();
  for (const fragment of ranked) {
    for (const [name, value] of Object.entries(fragment.attributes)) {
      if (name === 'identities') {
        for (const identity of Array.isArray(value) ? (value as Identity[]) : []) {
          const key = JSON.stringify([identity.namespace, identity.id]);
          // The identity as its fragment has it (`primary`, `authenticatedState`… travel with it).
          if (!seen.has(key)) identities.push(identity);
          seen.add(key);
        }
      } else {
        fillMissing(attributes, name, value, name === 'segmentMembership' ? 2 : Infinity);
      }
    }
  }
  return {
    attributes: { identities, ...attributes },
    mergedUpdateTime: fragments.reduce((newest, fragment) => Math.max(newest, fragment.updateTime), 0),
  };
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
 * descending into objects `depth` levels (below that an object is one attribute).
 */
function fillMissing(target: Record<string, unknown>, name: string, value: unknown, depth: number): void {
  if (value === undefined || value === null) return;
  const existing = target[name];
  if (isObject(value) && depth > 0) {
    if (existing === undefined) target[name] = {};
    else if (!isObject(existing)) return;
    const into = target[name] as Record<string, unknown>;
    for (const [child, childValue] of Object.entries(value)) fillMissing(into, child, childValue, depth - 1);
    if (Object.keys(into).length === 0 && existing === undefined) delete target[name];
    return;
  }
  if (existing === undefined) target[name] = value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
