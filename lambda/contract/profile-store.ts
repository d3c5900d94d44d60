/**
 * The profile store the service exports from, as the seeder writes it and the export engine
 * reads it. Both tables are partitioned by tenant and by one of BUCKETS hash buckets of the
 * profile id, so one tenant's profiles are read as BUCKETS independent, parallel streams
 * (the shards of an export), and a profile's events sort right after it in the event table.
 *
 * - profile: pk = <tenant>#<bucket>, sk = <profileId>
 *            { profileId, hasProfileRecord, mergedUpdateTime (epoch ms, the newest fragment's),
 *              fragments: { "<source datasetId>": { updateTime (epoch ms), attributes: <XDM profile> } } }
 * - event:   pk = <tenant>#<bucket>, sk = <profileId>#<ingestTime, 15 digits>#<eventId>
 *            { profileId, ingestTime (epoch ms), event: <XDM ExperienceEvent> }
 *
 * Profile ids use characters that sort after '#', so a profile's events sort in the same
 * order as the profiles themselves and a shard reads both tables as one merge join.
 */
export const PROFILE_STORE = {
  buckets: 32,
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

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

/** What one source dataset says about a profile: one fragment per profile and dataset. */
export interface ProfileFragment {
  readonly datasetId: string;
  /** When this fragment was last updated (ingested), epoch milliseconds. */
  readonly updateTime: number;
  /** Its attributes, shaped like the XDM profile (identities, attributes, segmentMembership). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A profile as the store keeps it: its fragments, unmerged (a merge policy merges them at export). */
export interface StoredProfile {
  readonly profileId: string;
  /** False for a profile known only from its events (an "empty profile"). */
  readonly hasProfileRecord: boolean;
  /** When the profile was last updated (ingested): its newest fragment's update time, epoch milliseconds. */
  readonly mergedUpdateTime: number;
  /** One per source dataset, in no particular order. */
  readonly fragments: readonly ProfileFragment[];
}

/** A stored profile with its fragments merged by a merge policy: what an export filters and projects. */
export interface MergedStoredProfile {
  readonly profileId: string;
  readonly hasProfileRecord: boolean;
  readonly mergedUpdateTime: number;
  readonly profile: XdmProfile;
}

/**
 * The dataset id of the one fragment an item of the layout before fragments is read as (its
 * `profile` attribute, no `fragments`): none. Such an item exports as it did under every merge
 * policy, and a `dataSetPrecedence` policy ranks it with the datasets it does not list.
 */
export const LEGACY_FRAGMENT_DATASET_ID = '';

/**
 * The item that stores a profile. `fragments` is a map by dataset id, so one dataset's
 * ingestion replaces its own fragment (`SET fragments.#ds = :f`, with `mergedUpdateTime` raised
 * to the fragment's time when newer) without reading or touching the others. All of a profile's
 * fragments share DynamoDB's 400 KB item limit.
 */
export function toProfileItem(pk: string, profile: StoredProfile): Record<string, unknown> {
  const fragments: Record<string, { updateTime: number; attributes: Readonly<Record<string, unknown>> }> = {};
  for (const fragment of profile.fragments)
    fragments[fragment.datasetId] = { updateTime: fragment.updateTime, attributes: fragment.attributes };
  return {
    [PROFILE_STORE.partitionKey]: pk,
    [PROFILE_STORE.sortKey]: profile.profileId,
    profileId: profile.profileId,
    hasProfileRecord: profile.hasProfileRecord,
    mergedUpdateTime: profile.mergedUpdateTime,
    fragments,
  };
}

/** The profile an item stores, in the layout above or in the one before fragments (one fragment of no dataset). */
export function fromProfileItem(item: Record<string, unknown>): StoredProfile {
  const mergedUpdateTime = item.mergedUpdateTime as number;
  const stored = item.fragments as
    Record<string, { updateTime: number; attributes: Record<string, unknown> } | undefined> | undefined;
  const fragments: ProfileFragment[] = [];
  if (stored) {
    for (const datasetId of Object.keys(stored)) {
      const fragment = stored[datasetId];
      if (fragment)
        fragments.push({ datasetId, updateTime: fragment.updateTime, attributes: fragment.attributes ?? {} });
    }
  } else if (item.profile) {
    fragments.push({
      datasetId: LEGACY_FRAGMENT_DATASET_ID,
      updateTime: mergedUpdateTime,
      attributes: item.profile as Record<string, unknown>,
    });
  }
  return {
    profileId: (item.profileId as string | undefined) ?? (item[PROFILE_STORE.sortKey] as string),
    hasProfileRecord: item.hasProfileRecord as boolean,
    mergedUpdateTime,
    fragments,
  };
}

export interface StoredEvent {
  readonly profileId: string;
  readonly eventId: string;
  /** When the event was ingested (not when it happened), epoch milliseconds. */
  readonly ingestTime: number;
  readonly event: Record<string, unknown>;
}

/** FNV-1a: a stable, well-spread hash, the same in the seeder, the engine and the tests. */
export function profileBucket(profileId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < profileId.length; index++) {
    hash ^= profileId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % PROFILE_STORE.buckets;
}

export function profilePartitionKey(tenantKeyText: string, bucket: number): string {
  return `${tenantKeyText}#${bucket}`;
}

/** The tenant key and bucket of a profile item's partition key (the inverse of profilePartitionKey). */
export function parseProfilePartitionKey(pk: string): { tenantKeyText: string; bucket: number } {
  const separator = pk.lastIndexOf('#');
  return { tenantKeyText: pk.slice(0, separator), bucket: Number(pk.slice(separator + 1)) };
}

export function eventSortKey(profileId: string, ingestTime: number, eventId: string): string {
  return `${profileId}#${String(ingestTime).padStart(15, '0')}#${eventId}`;
}

/** A sort key after every event of `profileId` (and before the next profile's). */
export function afterEventsOf(profileId: string): string {
  return `${profileId}#~`;
}
