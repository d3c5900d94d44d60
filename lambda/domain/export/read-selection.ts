import { DEFAULT_SEGMENT_STATUS } from '../../contract/create-job-request';
import type { JobFilter } from '../../contract/job-record';

/** One listed segment as the membership index is asked for it. */
export interface SegmentSelector {
  readonly segmentId: string;
  /** Only memberships in this namespace; any namespace when absent. */
  readonly namespace?: string;
  readonly statuses: readonly string[];
  /** Qualification window, epoch ms, bounds included; open ends absent. */
  readonly qualifiedFrom?: number;
  readonly qualifiedTo?: number;
}

/**
 * Which profiles of a shard a job needs read, so that an export costs what it returns:
 * - `members`: the job lists segments, so only their members (from the membership index) —
 *   unless it evaluates them at export: the index holds stored membership, and any profile may
 *   qualify now;
 * - `updatedAfter`: an incremental job (fromIngestTimestamp, no segments), so only the profiles
 *   updated after the instant (from the profile table's index by update time);
 * - `all`: every profile of the shard.
 * The selection is a superset of what the job exports: every profile read is still filtered
 * by the job's whole filter, so each read path exports exactly what reading every profile would.
 */
export type ReadSelection =
  | { readonly kind: 'all' }
  | { readonly kind: 'members'; readonly segments: readonly SegmentSelector[] }
  | { readonly kind: 'updatedAfter'; readonly after: number };

export function readSelection(filter: JobFilter, evaluatesSegments = false): ReadSelection {
  const window = filter.segmentQualificationTime;
  if (filter.segments && filter.segments.length > 0 && !evaluatesSegments) {
    return {
      kind: 'members',
      segments: filter.segments.map((segment) => ({
        segmentId: segment.segmentId,
        ...(segment.segmentNs !== undefined && { namespace: segment.segmentNs }),
        statuses: [...new Set(segment.status ?? DEFAULT_SEGMENT_STATUS)],
        ...(window?.startTime && { qualifiedFrom: Date.parse(window.startTime) }),
        ...(window?.endTime && { qualifiedTo: Date.parse(window.endTime) }),
      })),
    };
  }
  if (filter.fromIngestTimestamp) return { kind: 'updatedAfter', after: Date.parse(filter.fromIngestTimestamp) };
  return { kind: 'all' };
}
