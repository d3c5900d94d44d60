import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEventsOf, profilePartitionKey, type StoredEvent, type StoredProfile } from '../contract/profile-store';
import type { EventWindow } from '../domain/export/export-plan';
import type { ProfileShardSource, ShardPage } from '../domain/export/ports';
import { tenantKey, type Tenant } from '../contract/tenant';

type Item = Record<string, unknown>;

/**
 * Reads a shard (one hash bucket of a tenant) of the profile table page by page, in profile-id
 * order. When events are asked for, each page is followed by one range query on the event
 * table covering exactly that page's profiles (their events sort right after their id), with
 * the ingest-time window applied by DynamoDB.
 */
export class DynamoDbProfileShardSource implements ProfileShardSource {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { readonly profiles: string; readonly events: string },
    private readonly pageSize: number,
  ) {}

  async *pages(
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
      const profiles = (result.Items ?? []).map(toStoredProfile);
      const events =
        options.events && profiles.length > 0 ? await this.eventsOf(pk, profiles, options.events) : undefined;
      yield {
        entries: profiles.map((profile) => ({ profile, events: events?.get(profile.profileId) ?? [] })),
        lastProfileId: profiles[profiles.length - 1]?.profileId,
        hasMore: result.LastEvaluatedKey !== undefined,
      };
      startKey = result.LastEvaluatedKey;
    } while (startKey);
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

  private async eventsOf(
    pk: string,
    profiles: StoredProfile[],
    window: EventWindow,
  ): Promise<Map<string, StoredEvent[]>> {
    const conditions: string[] = [];
    const values: Item = {
      ':pk': pk,
      ':first': profiles[0].profileId,
      ':last': afterEventsOf(profiles[profiles.length - 1].profileId),
    };
    if (window.after !== undefined) {
      conditions.push('ingestTime > :after');
      values[':after'] = window.after;
    }
    if (window.before !== undefined) {
      conditions.push('ingestTime < :before');
      values[':before'] = window.before;
    }
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

function toStoredProfile(item: Item): StoredProfile {
  return {
    profileId: item.profileId as string,
    hasProfileRecord: item.hasProfileRecord as boolean,
    mergedUpdateTime: item.mergedUpdateTime as number,
    profile: item.profile as StoredProfile['profile'],
  };
}

function toStoredEvent(item: Item): StoredEvent {
  return {
    profileId: item.profileId as string,
    eventId: item.eventId as string,
    ingestTime: item.ingestTime as number,
    event: item.event as Record<string, unknown>,
  };
}
