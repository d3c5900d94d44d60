import type { SegmentMembership } from '../../lambda/contract/profile-store';
import type { Condition } from '../../lambda/domain/segmentation/pql-ast';
import { evaluate } from '../../lambda/domain/segmentation/pql-evaluator';
import { parsePql } from '../../lambda/domain/segmentation/pql-parser';
// Types only: the generator imports this module's values.
import type { MembershipContext, MembershipDeriver } from './profile-generator';

/** The segments of the generated data set: namespaces ups, AAM and UPS, as in the reference docs. */
export const GENERATED_SEGMENTS = [
  { segmentId: '52c26d0d-45f2-47a2-ab30-ed06abc981ff', namespace: 'ups' },
  { segmentId: '7a93d2ff-a220-4bae-9a4e-5f3c35032be3', namespace: 'ups' },
  { segmentId: 'b1f2c3d4-0000-4aaa-8bbb-000000000003', namespace: 'ups' },
  { segmentId: '4edc8488-2c35-4f6d-b4c6-9075c68d2df4', namespace: 'AAM' },
  { segmentId: 'a0a0a0a0-1111-4ccc-9ddd-000000000005', namespace: 'AAM' },
  { segmentId: '1rfe8422-334d-12f4-3sd4-12cf6g990g51', namespace: 'UPS' },
  // The same segment id in two namespaces: a filter with segmentNs tells them apart.
  { segmentId: 'shared-segment-0007', namespace: 'ups' },
  { segmentId: 'shared-segment-0007', namespace: 'AAM' },
] as const;

/**
 * The segment definitions the seeder creates for the tenant it seeds (in the config table, as
 * `POST /segment/definitions` stores them): the three segments the profile service evaluates
 * (namespace `ups`), over the generated attributes and events. Their stored memberships are
 * derived by evaluating them, so on freshly seeded data an export that evaluates them at export
 * time finds exactly the stored memberships. Only absolute dates: nothing can change between
 * seeding and export. The audience-manager (`AAM`, `UPS`) segments and the shared id keep drawn
 * memberships and have no definition, as segments of another system would.
 */
export const SEEDED_SEGMENT_DEFINITIONS = [
  {
    segmentId: GENERATED_SEGMENTS[0].segmentId,
    name: 'Gold and platinum members in Portugal',
    pql: 'loyalty.tier in ["gold", "platinum"] and homeAddress.countryCode = "PT"',
  },
  {
    segmentId: GENERATED_SEGMENTS[1].segmentId,
    name: 'Big purchases',
    pql: 'xEvent.any(eventType = "commerce.purchases" and commerce.order.priceTotal >= 250)',
  },
  {
    segmentId: GENERATED_SEGMENTS[2].segmentId,
    name: 'Engaged in 2025',
    pql:
      'loyalty.points >= 40000 or ' +
      'xEvent.count(eventType = "web.webpagedetails.pageViews" and timestamp occurs after date("2025-01-01")) >= 2',
  },
] as const;

/** The instant the seeded memberships were evaluated at: after every generated ingest time. */
export const SEEDING_NOW = Date.parse('2025-07-01T00:00:00Z');

/** The share of the profiles a defined segment does not hold that once qualified (stored `exited`). */
const EXITED_SHARE = 0.2;
const QUALIFIED_FROM = Date.parse('2024-01-01T00:00:00Z');
const QUALIFIED_TO = Date.parse('2025-01-01T00:00:00Z');

const DEFINED: ReadonlyArray<{ segmentId: string; condition: Condition }> = SEEDED_SEGMENT_DEFINITIONS.map(
  ({ segmentId, pql }) => {
    const parsed = parsePql(pql);
    if (!parsed.ok) throw new Error(`Seeded definition ${segmentId}: ${parsed.error.message}`);
    return { segmentId, condition: parsed.condition };
  },
);

/**
 * `base`'s memberships, except for the defined segments: `realized` when the profile (its
 * fragments merged by the default policy, and its stored events) satisfies the definition at
 * SEEDING_NOW; `exited` for a deterministic fifth of the others (they qualified before); none
 * otherwise. Qualification times fall in 2024, drawn from the profile's own membership
 * generator (the same number of draws whatever the outcome). `only` restricts the derivation to
 * some of the defined segments (a benchmark that wants one segment's memberships indexed).
 */
export function withDefinedSegments(base: MembershipDeriver, only?: readonly string[]): MembershipDeriver {
  const defined = only ? DEFINED.filter(({ segmentId }) => only.includes(segmentId)) : DEFINED;
  return (context: MembershipContext): SegmentMembership => {
    const membership: Record<string, Record<string, SegmentMembership[string][string]>> = {};
    for (const [namespace, segments] of Object.entries(base(context))) membership[namespace] = { ...segments };
    const subject = { profile: context.merged, events: context.events.map(({ event }) => event), now: SEEDING_NOW };
    for (const { segmentId, condition } of defined) {
      for (const segments of Object.values(membership)) delete segments[segmentId];
      const exitedRoll = context.random();
      const qualifiedAt = Math.floor(QUALIFIED_FROM + context.random() * (QUALIFIED_TO - QUALIFIED_FROM));
      const status = evaluate(condition, subject) ? 'realized' : exitedRoll < EXITED_SHARE ? 'exited' : undefined;
      if (status) {
        (membership[GENERATED_SEGMENTS[0].namespace] ??= {})[segmentId] = {
          status,
          lastQualificationTime: new Date(qualifiedAt).toISOString(),
        };
      }
    }
    for (const namespace of Object.keys(membership))
      if (Object.keys(membership[namespace]).length === 0) delete membership[namespace];
    return membership;
  };
}
