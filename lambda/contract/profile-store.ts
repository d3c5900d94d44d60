/**
 * The profile store the service exports from, as the seeder writes it and the export engine
 * reads it. Both tables are partitioned by tenant and by one of the tenant's N hash buckets of
 * the profile id (N recorded in its store layout, below), so one tenant's profiles are read as
 * N independent, parallel streams (the shards of an export), and a profile's events sort right
 * after it in the event table.
 *
 * - profile: pk = <tenant>#<bucket>, sk = <profileId>
 *            { profileId, hasProfileRecord, mergedUpdateTime (epoch ms), profile: <XDM profile> }
 * - event:   pk = <tenant>#<bucket>, sk = <profileId>#<ingestTime, 15 digits>#<eventId>
 *            { profileId, ingestTime (epoch ms), event: <XDM ExperienceEvent> }
 *
 * Profile ids use characters that sort after '#', so a profile's events sort in the same
 * order as the profiles themselves and a shard reads both tables as one merge join.
 */
export const PROFILE_STORE = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

/**
 * How many hash buckets (shards) a tenant's profiles are spread over unless the construct's
 * `profileStoreShards` says otherwise; also the count assumed for a tenant written before store
 * layouts existed (no layout item).
 */
export const DEFAULT_PROFILE_STORE_SHARDS = 32;
/**
 * The most shards a tenant may have: the plan lists them in the workflow's payload (a few bytes
 * each) and the Distributed Map runs one child per shard.
 */
export const MAX_PROFILE_STORE_SHARDS = 1024;

/**
 * A tenant's store layout: one item of the profile table, beside its profiles (its partition
 * key is not a bucket's, so no shard read meets it), keyed `pk` = `<tenant>#layout`,
 * `sk` = `layout`:
 * - `shards`: the tenant's bucket count, set once by the first writer of the tenant's profiles
 *   (`SET shards = if_not_exists(shards, :n)`) and read by every later writer, so a change of
 *   the construct's default never re-buckets (and so never duplicates) a tenant's profiles;
 * - `occupiedShards`: the buckets that hold profiles (a number set, added to by writers and by
 *   the service from the profile table's stream), so the planner knows which shards hold
 *   profiles from one read instead of probing each.
 */
export const STORE_LAYOUT = {
  sortKey: 'layout',
  shards: 'shards',
  occupiedShards: 'occupiedShards',
} as const;

export function storeLayoutKey(tenantKeyText: string): { pk: string; sk: string } {
  return { pk: `${tenantKeyText}#layout`, sk: STORE_LAYOUT.sortKey };
}

/**
 * The profile table's index by update time: a GSI keyed `pk` (the same `<tenant>#<bucket>`)
 * and `mergedUpdateTime`, keys only. An incremental export (`fromIngestTimestamp`) of a shard
 * is one Query of it for the profiles updated after the instant, instead of a read of every
 * profile. A profile table brought to the service must have it.
 */
export const UPDATE_TIME_INDEX = {
  indexName: 'byUpdateTime',
  partitionKey: 'pk',
  sortKey: 'mergedUpdateTime',
} as const;

/** What a profile id may contain: all of it sorts after '#'. */
export const PROFILE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export type SegmentMembershipStatus = 'realized' | 'existing' | 'exited';

export interface Identity {
  readonly id: string;
  readonly namespace: string;
}

/** `segmentMembership.<namespace>.<segmentId>` of an XDM Individual Profile. */
export type SegmentMembership = Record<
  string,
  Record<string, { readonly status: SegmentMembershipStatus; readonly lastQualificationTime: string }>
>;

/** A merged profile shaped like XDM Individual Profile: identities, attributes, memberships. */
export interface XdmProfile {
  readonly identities: readonly Identity[];
  readonly segmentMembership?: SegmentMembership;
  readonly [field: string]: unknown;
}

export interface StoredProfile {
  readonly profileId: string;
  /** False for a profile known only from its events (an "empty profile"). */
  readonly hasProfileRecord: boolean;
  /** When the merged profile was last updated (ingested), epoch milliseconds. */
  readonly mergedUpdateTime: number;
  readonly profile: XdmProfile;
}

export interface StoredEvent {
  readonly profileId: string;
  readonly eventId: string;
  /** When the event was ingested (not when it happened), epoch milliseconds. */
  readonly ingestTime: number;
  readonly event: Record<string, unknown>;
}

/** FNV-1a: a stable, well-spread hash, the same in the seeder, the engine and the tests. */
export function profileBucket(profileId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < profileId.length; index++) {
    hash ^= profileId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export function profilePartitionKey(tenantKeyText: string, bucket: number): string {
  return `${tenantKeyText}#${bucket}`;
}

/**
 * The tenant key and bucket of a profile item's partition key (the inverse of
 * profilePartitionKey); undefined for any other item of the table (a store layout).
 */
export function parseProfilePartitionKey(pk: string): { tenantKeyText: string; bucket: number } | undefined {
  const separator = pk.lastIndexOf('#');
  const bucket = pk.slice(separator + 1);
  if (separator < 0 || !/^\d+$/.test(bucket)) return undefined;
  return { tenantKeyText: pk.slice(0, separator), bucket: Number(bucket) };
}

export function eventSortKey(profileId: string, ingestTime: number, eventId: string): string {
  return `${profileId}#${String(ingestTime).padStart(15, '0')}#${eventId}`;
}

/** A sort key after every event of `profileId` (and before the next profile's). */
export function afterEventsOf(profileId: string): string {
  return `${profileId}#~`;
}
