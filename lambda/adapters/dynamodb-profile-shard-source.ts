import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterMembershipsOf, membershipPartitionKey } from '../contract/membership-index';
import {
  afterEventsOf,
  fromProfileItem,
  profilePartitionKey,
  UPDATE_TIME_INDEX,
  type StoredEvent,
  type StoredProfile,
} from '../contract/profile-store';
import type { EventWindow } from '../domain/export/export-plan';
import { mergeSortedUnique } from '../domain/export/merge-sorted';
import type { ProfileShardSource, ShardPage } from '../domain/export/ports';
import type { ReadSelection, SegmentSelector } from '../domain/export/read-selection';
import { tenantKey, type Tenant } from '../contract/tenant';

type Item = Record<string, unknown>;

/** BatchGetItem's limit. */
const KEYS_PER_BATCH_GET = 100;
/** Event queries of one page's selected profiles run this many at a time. */
const EVENT_QUERIES_IN_FLIGHT = 16;

export interface ProfileStoreTables {
  readonly profiles: string;
  readonly events: string;
  /** The membership index; needed only by jobs that list segments. */
  readonly membershipIndex?: string;
}

/**
 * Reads a shard (one hash bucket of a tenant) of the profile store page by page, in
 * profile-id order, along one of three paths:
 * - every profile: the profile table, one Query page after another; when events are asked
 *   for, one range query of the event table covers exactly the page's profiles;
 * - the members of segments: one Query of the membership index per listed segment (the
 *   statuses, namespace and window applied there), merged in id order, then the profiles
 *   themselves by BatchGetItem and each one's events by its own range query;
 * - the profiles updated after an instant: one Query of the profile table's index by update
 *   time, the ids sorted, then as for members.
 * The ingest-time window of events is applied by DynamoDB on every path.
 */
export class DynamoDbProfileShardSource implements ProfileShardSource {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: ProfileStoreTables,
    private readonly pageSize: number,
  ) {}

  pages(
    tenant: Tenant,
    shard: number,
    options: { after?: string; events?: EventWindow; select?: ReadSelection },
  ): AsyncIterable<ShardPage> {
    const select = options.select ?? { kind: 'all' };
    // Without a membership index (a workflow deployed without one), members are found by
    // reading every profile, as the filter is applied to each profile read anyway.
    if (select.kind === 'members' && this.tables.membershipIndex)
      return this.selectedPages(tenant, shard, this.memberIds(tenant, shard, select.segments, options.after), options);
    if (select.kind === 'updatedAfter')
      return this.selectedPages(tenant, shard, this.updatedIds(tenant, shard, select.after, options.after), options);
    return this.everyProfile(tenant, shard, options);
  }

  async hasProfiles(tenant: Tenant, shard: number): Promise<boolean> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tables.profiles,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': profilePartitionKey(tenantKey(tenant), shard) },
        ProjectionExpression: 'pk',
        Limit: 1,
      }),
    );
    return (result.Count ?? 0) > 0;
  }

  private async *everyProfile(
    tenant: Tenant,
    shard: number,
    options: { after?: string; events?: EventWindow },
  ): AsyncIterable<ShardPage> {
    const pk = profilePartitionKey(tenantKey(tenant), shard);
    let startKey: Item | undefined = options.after ? { pk, sk: options.after } : undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tables.profiles,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ExclusiveStartKey: startKey,
          Limit: this.pageSize,
        }),
      );
      const profiles = (result.Items ?? []).map(fromProfileItem);
      const events =
        options.events && profiles.length > 0
          ? await this.eventsBetween(pk, profiles[0].profileId, profiles[profiles.length - 1].profileId, options.events)
          : undefined;
      yield {
        entries: profiles.map((profile) => ({ profile, events: events?.get(profile.profileId) ?? [] })),
        lastProfileId: profiles[profiles.length - 1]?.profileId,
        hasMore: result.LastEvaluatedKey !== undefined,
      };
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }

  /** Pages of the profiles whose ids `ids` yields (ascending), fetched by key. */
  private async *selectedPages(
    tenant: Tenant,
    shard: number,
    ids: AsyncIterable<string>,
    options: { events?: EventWindow },
  ): AsyncIterable<ShardPage> {
    const pk = profilePartitionKey(tenantKey(tenant), shard);
    const iterator = ids[Symbol.asyncIterator]();
    let next = await iterator.next();
    while (!next.done) {
      const page: string[] = [];
      while (!next.done && page.length < this.pageSize) {
        page.push(next.value);
        next = await iterator.next();
      }
      const profiles = await this.profilesByKey(pk, page);
      const events = options.events ? await this.eventsOfEach(pk, profiles, options.events) : undefined;
      yield {
        entries: profiles.map((profile) => ({ profile, events: events?.get(profile.profileId) ?? [] })),
        // The last id looked up, found or not (a profile deleted since it was indexed).
        lastProfileId: page[page.length - 1],
        hasMore: !next.done,
      };
    }
  }

  /** The members of the listed segments in the shard, after `after`, ascending, each once. */
  private memberIds(
    tenant: Tenant,
    shard: number,
    segments: readonly SegmentSelector[],
    after: string | undefined,
  ): AsyncIterable<string> {
    const membershipIndex = this.tables.membershipIndex;
    if (!membershipIndex) throw new Error('The membership index table is not configured');
    return mergeSortedUnique(segments.map((segment) => this.membersOf(membershipIndex, tenant, shard, segment, after)));
  }

  private async *membersOf(
    table: string,
    tenant: Tenant,
    shard: number,
    segment: SegmentSelector,
    after: string | undefined,
  ): AsyncIterable<string> {
    const conditions = [`#status IN (${segment.statuses.map((_, index) => `:s${index}`).join(', ')})`];
    const values: Item = {
      ':pk': membershipPartitionKey(tenantKey(tenant), segment.segmentId, shard),
      ...Object.fromEntries(segment.statuses.map((status, index) => [`:s${index}`, status])),
    };
    addCondition(conditions, values, '#namespace = :namespace', segment.namespace);
    addCondition(conditions, values, 'qualifiedAt >= :from', segment.qualifiedFrom);
    addCondition(conditions, values, 'qualifiedAt <= :to', segment.qualifiedTo);
    if (after !== undefined) values[':after'] = afterMembershipsOf(after);
    let startKey: Item | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: after !== undefined ? 'pk = :pk AND sk > :after' : 'pk = :pk',
          FilterExpression: conditions.join(' AND '),
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(segment.namespace !== undefined && { '#namespace': 'namespace' }),
          },
          ExpressionAttributeValues: values,
          ProjectionExpression: 'profileId',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) yield item.profileId as string;
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }

  /**
   * The shard's profiles updated strictly after `updatedAfter` with an id after `after`,
   * ascending. The index is in update-time order, so its keys are read whole and sorted: keys
   * only, a small fraction of the profiles they stand for.
   */
  private async *updatedIds(
    tenant: Tenant,
    shard: number,
    updatedAfter: number,
    after: string | undefined,
  ): AsyncIterable<string> {
    const ids: string[] = [];
    let startKey: Item | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tables.profiles,
          IndexName: UPDATE_TIME_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk AND #updated > :updatedAfter',
          ExpressionAttributeNames: { '#pk': UPDATE_TIME_INDEX.partitionKey, '#updated': UPDATE_TIME_INDEX.sortKey },
          ExpressionAttributeValues: {
            ':pk': profilePartitionKey(tenantKey(tenant), shard),
            ':updatedAfter': updatedAfter,
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        const id = item.sk as string;
        if (after === undefined || id > after) ids.push(id);
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    ids.sort();
    yield* ids;
  }

  /** The profiles with these ids (in the same order), leaving out any that no longer exist. */
  private async profilesByKey(pk: string, ids: readonly string[]): Promise<StoredProfile[]> {
    const found = new Map<string, StoredProfile>();
    const chunks: string[][] = [];
    for (let start = 0; start < ids.length; start += KEYS_PER_BATCH_GET)
      chunks.push(ids.slice(start, start + KEYS_PER_BATCH_GET));
    await Promise.all(
      chunks.map(async (chunk) => {
        let keys: Item[] = chunk.map((id) => ({ pk, sk: id }));
        for (let attempt = 0; keys.length > 0; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(attempt, 7)));
          const result = await this.client.send(
            new BatchGetCommand({ RequestItems: { [this.tables.profiles]: { Keys: keys } } }),
          );
          for (const item of result.Responses?.[this.tables.profiles] ?? []) {
            const profile = fromProfileItem(item);
            found.set(profile.profileId, profile);
          }
          keys = (result.UnprocessedKeys?.[this.tables.profiles]?.Keys as Item[] | undefined) ?? [];
        }
      }),
    );
    return ids.flatMap((id) => {
      const profile = found.get(id);
      return profile ? [profile] : [];
    });
  }

  /** Each profile's events, one range query per profile, several at a time. */
  private async eventsOfEach(
    pk: string,
    profiles: readonly StoredProfile[],
    window: EventWindow,
  ): Promise<Map<string, StoredEvent[]>> {
    const byProfile = new Map<string, StoredEvent[]>();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(EVENT_QUERIES_IN_FLIGHT, profiles.length) }, async () => {
        for (let index = next++; index < profiles.length; index = next++) {
          const { profileId } = profiles[index];
          const events = await this.eventsBetween(pk, profileId, profileId, window);
          byProfile.set(profileId, events.get(profileId) ?? []);
        }
      }),
    );
    return byProfile;
  }

  /** The events of the profiles from `firstProfileId` to `lastProfileId` (included), by profile. */
  private async eventsBetween(
    pk: string,
    firstProfileId: string,
    lastProfileId: string,
    window: EventWindow,
  ): Promise<Map<string, StoredEvent[]>> {
    const conditions: string[] = [];
    const values: Item = {
      ':pk': pk,
      ':first': firstProfileId,
      ':last': afterEventsOf(lastProfileId),
    };
    addCondition(conditions, values, 'ingestTime > :after', window.after);
    addCondition(conditions, values, 'ingestTime < :before', window.before);
    const byProfile = new Map<string, StoredEvent[]>();
    let startKey: Item | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tables.events,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ...(conditions.length > 0 && { FilterExpression: conditions.join(' AND ') }),
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        const event = toStoredEvent(item);
        const list = byProfile.get(event.profileId);
        if (list) list.push(event);
        else byProfile.set(event.profileId, [event]);
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return byProfile;
  }
}

/** Adds `condition` (its value named by its last `:placeholder`) to a filter when `value` is given. */
function addCondition(conditions: string[], values: Item, condition: string, value: string | number | undefined): void {
  if (value === undefined) return;
  conditions.push(condition);
  values[condition.slice(condition.lastIndexOf(':'))] = value;
}

function toStoredEvent(item: Item): StoredEvent {
  return {
    profileId: item.profileId as string,
    eventId: item.eventId as string,
    ingestTime: item.ingestTime as number,
    event: item.event as Record<string, unknown>,
  };
}
