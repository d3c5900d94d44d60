import type {
  Identity,
  ProfileFragment,
  SegmentMembership,
  StoredEvent,
  StoredProfile,
  XdmProfile,
} from '../../lambda/contract/profile-store';
import { mergeFragments } from '../../lambda/domain/merge/merge-fragments';
import { GENERATED_SEGMENTS, withDefinedSegments } from './generated-segments';

/**
 * The source datasets the generated profiles' fragments come from (each profile has a fragment
 * of some of them), with fixed ids so that a `dataSetPrecedence` merge policy can name them.
 * `npm run seed` and `npm start` create them in the seeded tenant (bin/support/demo-datasets.ts).
 * They overlap and disagree: the CRM and web sign-ups both know an e-mail address and a home
 * city, the CRM and the loyalty programme both a first name and a tier, so `timestampOrdered`
 * (newest fragment wins) and `dataSetPrecedence` export different values. Segment memberships
 * are the segmentation service's output, a fragment of their own.
 */
export const SOURCE_DATASETS = {
  crm: { id: '5f0c1e2a0000000000000c01', name: 'CRM contacts' },
  web: { id: '5f0c1e2a0000000000000c02', name: 'Web sign-ups' },
  loyalty: { id: '5f0c1e2a0000000000000c03', name: 'Loyalty programme' },
  segmentation: { id: '5f0c1e2a0000000000000c04', name: 'Segment memberships (segmentation output)' },
} as const;

export { GENERATED_SEGMENTS } from './generated-segments';

export const GENERATED_NAMESPACES = ['email', 'ECID', 'phone', 'crmId'] as const;

const YEAR_START = Date.parse('2024-01-01T00:00:00Z');
const YEAR_END = Date.parse('2025-01-01T00:00:00Z');
const DATA_END = Date.parse('2025-07-01T00:00:00Z');

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Lee',
];
const CITIES = [
  ['Lisboa', 'PT'],
  ['Madrid', 'ES'],
  ['São Paulo', 'BR'],
  ['Ciudad de México', 'MX'],
  ['Porto', 'PT'],
] as const;
const TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
const EVENT_TYPES = [
  'web.webpagedetails.pageViews',
  'commerce.productViews',
  'commerce.purchases',
  'web.webinteraction.linkClicks',
];
const BROWSERS = [
  ['Chrome', '126'],
  ['Firefox', '128'],
  ['Safari', '17.5'],
  ['Edge', '126'],
] as const;

/** mulberry32: a small, fast, seedable generator; the same seed gives the same data everywhere. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedProfile {
  readonly profile: StoredProfile;
  readonly events: StoredEvent[];
}

/** What a profile's stored memberships are derived from. */
export interface MembershipContext {
  readonly profileId: string;
  /** The profile's position in the generated data (0-based). */
  readonly index: number;
  /** Its fragments merged by the default policy (`timestampOrdered`), without memberships. */
  readonly merged: XdmProfile;
  /** Its events as stored (none when the generation leaves them out): what an export evaluates. */
  readonly events: readonly StoredEvent[];
  /** A generator of its own for the memberships: the rest of the data does not depend on it. */
  readonly random: () => number;
}

/** How a generated profile's stored segment memberships are decided (the segmentation fragment). */
export type MembershipDeriver = (context: MembershipContext) => SegmentMembership;

export interface GenerationOptions {
  readonly profiles: number;
  readonly seed: number;
  /** Whether to generate ExperienceEvents (benchmarks of profile exports can skip them). */
  readonly events?: boolean;
  /**
   * Whether profiles keep their memberships of GENERATED_SEGMENTS (default true). They are
   * drawn either way, so the rest of the data is the same.
   */
  readonly generatedSegments?: boolean;
  /** A segment of exactly every `every`-th profile (realized), for benchmarks of selective exports. */
  readonly rareSegment?: { readonly segmentId: string; readonly namespace: string; readonly every: number };
  /**
   * How memberships are decided; default: drawn (drawnMemberships), except for the segments
   * with a seeded definition, whose memberships are evaluated (withDefinedSegments).
   */
  readonly memberships?: MembershipDeriver;
}

/**
 * Memberships drawn at random: each of GENERATED_SEGMENTS with probability 0.35, realized,
 * existing or exited, qualified over the months of 2024. (A deriver that evaluates segment
 * definitions on `merged` and `events` can replace it: GenerationOptions.memberships.)
 */
export const drawnMemberships: MembershipDeriver = ({ random: next }) => {
  const membership: Record<
    string,
    Record<string, { status: 'realized' | 'existing' | 'exited'; lastQualificationTime: string }>
  > = {};
  for (const segment of GENERATED_SEGMENTS) {
    if (next() >= 0.35) continue;
    const roll = next();
    const status = roll < 0.5 ? 'realized' : roll < 0.8 ? 'existing' : 'exited';
    (membership[segment.namespace] ??= {})[segment.segmentId] = {
      status,
      lastQualificationTime: new Date(Math.floor(YEAR_START + next() * (YEAR_END - YEAR_START))).toISOString(),
    };
  }
  return membership;
};

/**
 * A realistic, deterministic profile store: each profile as fragments of SOURCE_DATASETS with
 * overlapping, conflicting attributes and their own update times, several identity namespaces,
 * segment memberships (realized, existing, exited) qualified over the months of 2024 in a
 * segmentation fragment, profiles with and without events, and event-only ("empty") profiles.
 * Generated one profile at a time, so any size fits in memory.
 *
 * Order of the work, for whoever replaces a step: the fragments, then the events, then the
 * memberships from the fragments merged by `timestampOrdered` (options.memberships).
 */
export function* generateProfiles(options: GenerationOptions): Generator<GeneratedProfile> {
  const next = random(options.seed);
  const nextForMemberships = random(options.seed ^ 0x5eed5eed);
  const derive = options.memberships ?? withDefinedSegments(drawnMemberships);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  const between = (start: number, end: number) => Math.floor(start + next() * (end - start));
  for (let index = 0; index < options.profiles; index++) {
    const profileId = `p${options.seed}-${String(index).padStart(7, '0')}`;
    const hasProfileRecord = next() < 0.88;
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const email = `${first}.${last}.${index}@example.com`.toLowerCase();

    const crmIdentities: Identity[] = [];
    const webIdentities: Identity[] = [];
    if (next() < 0.7) crmIdentities.push({ id: email, namespace: 'email' });
    if (next() < 0.9 || crmIdentities.length === 0)
      webIdentities.push({ id: `ecid-${options.seed}-${index}`, namespace: 'ECID' });
    const phone = next() < 0.3 ? `+3519${String(between(10_000_000, 99_999_999))}` : undefined;
    if (phone) webIdentities.push({ id: phone, namespace: 'phone' });
    if (next() < 0.4) crmIdentities.push({ id: `crm-${index}`, namespace: 'crmId' });

    const fragments: ProfileFragment[] = [];
    const fragment = (datasetId: string, attributes: Record<string, unknown>) =>
      fragments.push({ datasetId, updateTime: between(YEAR_START, DATA_END), attributes });
    if (!hasProfileRecord) {
      // Known only from its events: identities, nothing else.
      fragment(SOURCE_DATASETS.web.id, { identities: [...crmIdentities, ...webIdentities] });
    } else {
      const [city, countryCode] = pick(CITIES);
      const tier = pick(TIERS);
      // The CRM: the person, the e-mail address, the home address, sometimes a stale tier.
      fragment(SOURCE_DATASETS.crm.id, {
        identities: crmIdentities,
        person: { name: { firstName: first, lastName: last } },
        ...(crmIdentities.some((identity) => identity.namespace === 'email') && {
          personalEmail: { address: email, status: 'active' },
        }),
        homeAddress: { city, countryCode },
        ...(next() < 0.5 && { loyalty: { tier: pick(TIERS) } }),
      });
      // The web sign-up: the device's identities, often another address and the city the
      // visitor typed.
      if (webIdentities.length > 0 || next() < 0.5) {
        const [webCity, webCountry] = pick(CITIES);
        fragment(SOURCE_DATASETS.web.id, {
          identities: webIdentities,
          ...(next() < 0.6 && { personalEmail: { address: `${first}${index}@web.example.com`.toLowerCase() } }),
          ...(phone && { mobilePhone: { number: phone } }),
          ...(next() < 0.6 && { homeAddress: { city: webCity, countryCode: webCountry } }),
        });
      }
      // The loyalty programme: tier and points, and the first name the member goes by.
      if (next() < 0.7) {
        fragment(SOURCE_DATASETS.loyalty.id, {
          identities: crmIdentities.filter((identity) => identity.namespace === 'crmId'),
          loyalty: { tier, points: between(0, 50_000) },
          ...(next() < 0.5 && { person: { name: { firstName: pick(FIRST_NAMES) } } }),
        });
      }
    }

    // Events are always drawn, and dropped afterwards when not wanted, so the same seed gives
    // the same profiles with or without them.
    const events: StoredEvent[] = [];
    const eventCount = next() < 0.3 ? 0 : between(1, 7);
    for (let eventIndex = 0; eventIndex < eventCount; eventIndex++) {
      const ingestTime = between(YEAR_START, DATA_END);
      const eventType = pick(EVENT_TYPES);
      const [browser, version] = pick(BROWSERS);
      const eventId = `e${eventIndex}`;
      events.push({
        profileId,
        eventId,
        ingestTime,
        event: {
          _id: `${profileId}-${eventId}`,
          timestamp: new Date(ingestTime - between(0, 6 * 3600_000)).toISOString(),
          eventType,
          web: { webPageDetails: { name: pick(['home', 'product', 'cart', 'checkout']) } },
          environment: { browserDetails: { name: browser, version } },
          ...(eventType === 'commerce.purchases' && { commerce: { order: { priceTotal: between(5, 500) } } }),
        },
      });
    }

    const segmentMembership = derive({
      profileId,
      index,
      merged: mergeFragments(fragments, { type: 'timestampOrdered' }).attributes as unknown as XdmProfile,
      events: options.events === false ? [] : events,
      random: nextForMemberships,
    }) as Record<string, Record<string, SegmentMembership[string][string]>>;
    if (options.generatedSegments === false)
      for (const namespace of Object.keys(segmentMembership)) delete segmentMembership[namespace];
    if (options.rareSegment && index % options.rareSegment.every === 0) {
      (segmentMembership[options.rareSegment.namespace] ??= {})[options.rareSegment.segmentId] = {
        status: 'realized',
        lastQualificationTime: new Date(YEAR_START + (index % 1000) * 60_000).toISOString(),
      };
    }
    const qualifications = Object.values(segmentMembership).flatMap((segments) =>
      Object.values(segments).map((member) => Date.parse(member.lastQualificationTime)),
    );
    if (qualifications.length > 0) {
      // The segmentation service's output: updated when it last qualified the profile.
      fragments.push({
        datasetId: SOURCE_DATASETS.segmentation.id,
        updateTime: Math.max(...qualifications),
        attributes: { segmentMembership },
      });
    }

    const profile: StoredProfile = {
      profileId,
      hasProfileRecord,
      mergedUpdateTime: fragments.reduce((newest, { updateTime }) => Math.max(newest, updateTime), 0),
      fragments,
    };
    yield { profile, events: options.events === false ? [] : events };
  }
}
