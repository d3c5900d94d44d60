import type { Identity, SegmentMembership, StoredEvent, StoredProfile } from '../../lambda/contract/profile-store';

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
}

/**
 * A realistic, deterministic profile store: several identity namespaces, segment memberships
 * (realized, existing, exited) qualified over the months of 2024, profiles with and without
 * events, and event-only ("empty") profiles. Generated one profile at a time, so any size fits
 * in memory.
 */
export function* generateProfiles(options: GenerationOptions): Generator<GeneratedProfile> {
  const next = random(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  const between = (start: number, end: number) => Math.floor(start + next() * (end - start));
  for (let index = 0; index < options.profiles; index++) {
    const profileId = `p${options.seed}-${String(index).padStart(7, '0')}`;
    const hasProfileRecord = next() < 0.88;
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const email = `${first}.${last}.${index}@example.com`.toLowerCase();

    const identities: Identity[] = [];
    if (next() < 0.7) identities.push({ id: email, namespace: 'email' });
    if (next() < 0.9 || identities.length === 0)
      identities.push({ id: `ecid-${options.seed}-${index}`, namespace: 'ECID' });
    const phone = next() < 0.3 ? `+3519${String(between(10_000_000, 99_999_999))}` : undefined;
    if (phone) identities.push({ id: phone, namespace: 'phone' });
    if (next() < 0.4) identities.push({ id: `crm-${index}`, namespace: 'crmId' });

    const segmentMembership: Record<
      string,
      Record<string, { status: 'realized' | 'existing' | 'exited'; lastQualificationTime: string }>
    > = {};
    for (const segment of GENERATED_SEGMENTS) {
      if (next() >= 0.35) continue;
      const roll = next();
      const status = roll < 0.5 ? 'realized' : roll < 0.8 ? 'existing' : 'exited';
      (segmentMembership[segment.namespace] ??= {})[segment.segmentId] = {
        status,
        lastQualificationTime: new Date(between(YEAR_START, YEAR_END)).toISOString(),
      };
    }

    if (options.generatedSegments === false)
      for (const namespace of Object.keys(segmentMembership)) delete segmentMembership[namespace];
    if (options.rareSegment && index % options.rareSegment.every === 0) {
      (segmentMembership[options.rareSegment.namespace] ??= {})[options.rareSegment.segmentId] = {
        status: 'realized',
        lastQualificationTime: new Date(YEAR_START + (index % 1000) * 60_000).toISOString(),
      };
    }

    const [city, countryCode] = pick(CITIES);
    const profile: StoredProfile = {
      profileId,
      hasProfileRecord,
      mergedUpdateTime: between(YEAR_START, DATA_END),
      profile: {
        identities,
        ...(hasProfileRecord && {
          person: { name: { firstName: first, lastName: last } },
          ...(identities.some((identity) => identity.namespace === 'email') && {
            personalEmail: { address: email, status: 'active' },
          }),
          ...(phone && { mobilePhone: { number: phone } }),
          homeAddress: { city, countryCode },
          loyalty: { tier: pick(TIERS), points: between(0, 50_000) },
        }),
        ...(Object.keys(segmentMembership).length > 0 && { segmentMembership: segmentMembership as SegmentMembership }),
      },
    };

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
    yield { profile, events: options.events === false ? [] : events };
  }
}
