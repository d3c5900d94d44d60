import { membershipPartitionKey, membershipSortKey, type MembershipEntry } from '../../contract/membership-index';
import { parseProfilePartitionKey, type ProfileFragment, type SegmentMembership } from '../../contract/profile-store';

/** A change of one profile item, as the profile table's stream carries it. */
export interface ProfileItemChange {
  /** The profile item's partition key, `<tenant>#<bucket>`. */
  readonly pk: string;
  readonly profileId: string;
  /** The profile's fragments before and after the change (absent: no item). */
  readonly oldFragments?: readonly ProfileFragment[];
  readonly newFragments?: readonly ProfileFragment[];
}

/** One write of the membership index: an item to put, or a key to delete. */
export type MembershipIndexWrite =
  | { readonly kind: 'put'; readonly pk: string; readonly sk: string; readonly entry: MembershipEntry }
  | { readonly kind: 'delete'; readonly pk: string; readonly sk: string };

/**
 * The memberships of every fragment of a profile, as index entries: a superset of its merged
 * memberships under any merge policy (see MEMBERSHIP_INDEX). A membership whose
 * lastQualificationTime is not a time is left out: no filter can match it (the export engine
 * compares the parsed time).
 */
export function membershipEntries(
  profileId: string,
  fragments: readonly ProfileFragment[] | undefined,
): MembershipEntry[] {
  const entries: MembershipEntry[] = [];
  for (const { datasetId, attributes } of fragments ?? []) {
    const membership = attributes.segmentMembership as SegmentMembership | undefined;
    if (!membership || typeof membership !== 'object') continue;
    for (const [namespace, segments] of Object.entries(membership)) {
      for (const [segmentId, member] of Object.entries(segments ?? {})) {
        const qualifiedAt = Date.parse(member?.lastQualificationTime);
        if (Number.isNaN(qualifiedAt)) continue;
        entries.push({ profileId, datasetId, segmentId, namespace, status: member.status, qualifiedAt });
      }
    }
  }
  return entries;
}

/**
 * The index writes that bring the index from the old memberships of each changed profile to
 * the new ones, in stream order: a membership that appeared or changed is put, one that
 * disappeared is deleted, an unchanged one is not written. When a key changes several times
 * in one batch only its last write is kept (the state after the batch), so that the writes
 * of a batch hold each key once, as BatchWriteItem requires.
 */
export function membershipIndexWrites(changes: readonly ProfileItemChange[]): MembershipIndexWrite[] {
  const writes = new Map<string, MembershipIndexWrite>();
  for (const change of changes) {
    const { tenantKeyText, bucket } = parseProfilePartitionKey(change.pk);
    const keyOf = (entry: MembershipEntry) => ({
      pk: membershipPartitionKey(tenantKeyText, entry.segmentId, bucket),
      sk: membershipSortKey(entry.profileId, entry.namespace, entry.datasetId),
    });
    const before = new Map<string, MembershipEntry>(
      membershipEntries(change.profileId, change.oldFragments).map((entry) => {
        const key = keyOf(entry);
        return [`${key.pk}\n${key.sk}`, entry];
      }),
    );
    for (const entry of membershipEntries(change.profileId, change.newFragments)) {
      const key = keyOf(entry);
      const id = `${key.pk}\n${key.sk}`;
      const old = before.get(id);
      before.delete(id);
      if (old && old.status === entry.status && old.qualifiedAt === entry.qualifiedAt) continue;
      writes.delete(id);
      writes.set(id, { kind: 'put', ...key, entry });
    }
    for (const [id, entry] of before) {
      writes.delete(id);
      writes.set(id, { kind: 'delete', ...keyOf(entry) });
    }
  }
  return [...writes.values()];
}
