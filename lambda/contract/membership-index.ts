import type { SegmentMembershipStatus } from './profile-store';

/**
 * The membership index: one item per (profile, segment membership, fragment) of the profile
 * store, written from the profile table's stream by the service, so that one segment's members
 * in one shard are one Query. The shard is the profile's hash bucket in the store
 * (`profileBucket`), so a member's profile is found at `<tenant>#<shard>` / `<profileId>`.
 *
 * - pk = <tenant>#<segmentId, URI-encoded>#<shard>
 * - sk = <profileId>#<namespace, URI-encoded>#<datasetId, URI-encoded>   (a profile's
 *        memberships of one segment sort together, profiles in id order)
 *   { profileId, namespace, datasetId, status, qualifiedAt (epoch ms of lastQualificationTime) }
 *
 * Status, namespace and qualification time are on the item, so the filter's statuses,
 * namespace and window apply in the index (a FilterExpression on what one Query reads).
 *
 * Every fragment's memberships are indexed, each under its own key: which one a profile's
 * merged membership comes from depends on the merge policy, and the merged membership is
 * always one fragment's. So the index holds a superset of the members under every policy (one
 * index for all of them), and the export, which applies the job's filter to every merged
 * profile it reads, drops the profiles whose merged membership does not match.
 */
export const MEMBERSHIP_INDEX = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

/** One membership as the index keeps it. */
export interface MembershipEntry {
  readonly profileId: string;
  /** The source dataset of the fragment that holds the membership. */
  readonly datasetId: string;
  readonly segmentId: string;
  readonly namespace: string;
  readonly status: SegmentMembershipStatus;
  /** lastQualificationTime, epoch milliseconds. */
  readonly qualifiedAt: number;
}

export function membershipPartitionKey(tenantKeyText: string, segmentId: string, shard: number): string {
  return `${tenantKeyText}#${encodeURIComponent(segmentId)}#${shard}`;
}

export function membershipSortKey(profileId: string, namespace: string, datasetId: string): string {
  return `${profileId}#${encodeURIComponent(namespace)}#${encodeURIComponent(datasetId)}`;
}

/**
 * A sort key after every membership of `profileId` and before the next profile's: '$' sorts
 * right after '#' and before every character a profile id may hold (PROFILE_ID_PATTERN).
 */
export function afterMembershipsOf(profileId: string): string {
  return `${profileId}$`;
}
