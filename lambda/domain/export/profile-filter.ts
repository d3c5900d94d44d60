import type { JobFilter } from '../../contract/job-record';
import type { SegmentMembership, MergedStoredProfile } from '../../contract/profile-store';
import { DEFAULT_SEGMENT_STATUS } from '../../contract/create-job-request';

export interface CompiledFilter {
  /** Whether the profile passes the profile-level criteria (record, ingest time). */
  readonly accepts: (profile: MergedStoredProfile) => boolean;
  /**
   * Indexes of the listed segments the profile matches; every profile "matches" when the
   * filter lists no segments (reported as index 0).
   */
  readonly matchingSegments: (profile: MergedStoredProfile) => number[];
}

/**
 * The filter of a job as predicates:
 * - `emptyProfiles` false leaves out profiles that have only events;
 * - `fromIngestTimestamp` keeps profiles whose merged update time is strictly after it;
 * - a listed segment matches a membership with the same segmentId, in its namespace when one
 *   is given, with a status in its statuses (default realized), qualified inside
 *   `segmentQualificationTime` (bounds included) when one is given.
 */
export function compileFilter(filter: JobFilter): CompiledFilter {
  const fromIngest = filter.fromIngestTimestamp ? Date.parse(filter.fromIngestTimestamp) : undefined;
  const windowStart = filter.segmentQualificationTime?.startTime
    ? Date.parse(filter.segmentQualificationTime.startTime)
    : -Infinity;
  const windowEnd = filter.segmentQualificationTime?.endTime
    ? Date.parse(filter.segmentQualificationTime.endTime)
    : Infinity;
  const segments = (filter.segments ?? []).map((segment) => ({
    segmentId: segment.segmentId,
    segmentNs: segment.segmentNs,
    statuses: new Set<string>(segment.status ?? DEFAULT_SEGMENT_STATUS),
  }));

  const memberOf = (membership: SegmentMembership | undefined, segment: (typeof segments)[number]): boolean => {
    for (const [namespace, memberships] of Object.entries(membership ?? {})) {
      if (segment.segmentNs !== undefined && namespace !== segment.segmentNs) continue;
      const member = memberships[segment.segmentId];
      if (!member || !segment.statuses.has(member.status)) continue;
      const qualifiedAt = Date.parse(member.lastQualificationTime);
      if (qualifiedAt >= windowStart && qualifiedAt <= windowEnd) return true;
    }
    return false;
  };

  return {
    accepts: (profile) =>
      (filter.emptyProfiles || profile.hasProfileRecord) &&
      (fromIngest === undefined || profile.mergedUpdateTime > fromIngest),
    matchingSegments: (profile) => {
      if (segments.length === 0) return [0];
      const matches: number[] = [];
      segments.forEach((segment, index) => {
        if (memberOf(profile.profile.segmentMembership, segment)) matches.push(index);
      });
      return matches;
    },
  };
}
