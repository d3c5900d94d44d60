import type { MergedStoredProfile, SegmentMembership, StoredEvent } from '../../contract/profile-store';
import type { Condition } from '../segmentation/pql-ast';
import { evaluate } from '../segmentation/pql-evaluator';

/**
 * The namespace of the memberships evaluation gives: the profile service's own, as the
 * reference platform writes the segments it evaluates (`segmentMembership.ups.<segmentId>`).
 */
export const EVALUATED_SEGMENT_NAMESPACE = 'ups';

/** A listed segment and the condition of its definition, parsed. */
export interface EvaluatedSegment {
  readonly segmentId: string;
  readonly condition: Condition;
}

/** The segments of a job evaluated at one instant, applied to each profile before the filter. */
export interface SegmentEvaluation {
  /** Whether any definition looks at events (xEvent): then every event of a profile is read. */
  readonly usesEvents: boolean;
  /** The profile with the memberships of the evaluated segments replaced by their evaluation. */
  readonly apply: (profile: MergedStoredProfile, events: readonly StoredEvent[]) => MergedStoredProfile;
}

/** Stored statuses that say the profile qualified before: it exits when it no longer qualifies. */
const QUALIFIED_BEFORE = new Set<string>(['realized', 'existing', 'exited']);

/**
 * Evaluation at export (`evaluationInfo.segmentation: true`), one `now` for the whole export.
 * For each evaluated segment, whatever the profile stored for it (in any namespace) is replaced by:
 * - `realized`, qualified at `now`, when the profile (merged) and its events satisfy the definition;
 * - `exited` at `now` when it does not, but stored membership says it qualified before (realized,
 *   existing, or already exited);
 * - no membership otherwise.
 * Memberships of other segments are left as stored. The job's filter (statuses, namespace,
 * window) and projection then see the evaluated profile.
 */
export function compileSegmentEvaluation(segments: readonly EvaluatedSegment[], now: number): SegmentEvaluation {
  const qualificationTime = new Date(now).toISOString();
  return {
    usesEvents: segments.some((segment) => usesEvents(segment.condition)),
    apply: (stored, events) => {
      const subject = { profile: stored.profile, events: events.map((event) => event.event), now };
      const membership: Record<string, Record<string, SegmentMembership[string][string]>> = {};
      for (const [namespace, memberships] of Object.entries(stored.profile.segmentMembership ?? {})) {
        membership[namespace] = { ...memberships };
      }
      for (const { segmentId, condition } of segments) {
        let qualifiedBefore = false;
        for (const memberships of Object.values(membership)) {
          const previous = memberships[segmentId];
          if (previous && QUALIFIED_BEFORE.has(previous.status)) qualifiedBefore = true;
          delete memberships[segmentId];
        }
        const status = evaluate(condition, subject) ? 'realized' : qualifiedBefore ? 'exited' : undefined;
        if (status)
          (membership[EVALUATED_SEGMENT_NAMESPACE] ??= {})[segmentId] = {
            status,
            lastQualificationTime: qualificationTime,
          };
      }
      for (const namespace of Object.keys(membership)) {
        if (Object.keys(membership[namespace]).length === 0) delete membership[namespace];
      }
      const { segmentMembership: _stored, ...rest } = stored.profile;
      return {
        ...stored,
        profile: { ...rest, ...(Object.keys(membership).length > 0 && { segmentMembership: membership }) },
      };
    },
  };
}

/** Whether a condition reads the profile's events. */
function usesEvents(condition: Condition): boolean {
  switch (condition.type) {
    case 'eventAny':
    case 'eventCount':
      return true;
    case 'and':
    case 'or':
      return condition.operands.some(usesEvents);
    case 'not':
      return usesEvents(condition.operand);
    default:
      return false;
  }
}
