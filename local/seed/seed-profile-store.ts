import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventSortKey, profileBucket, profilePartitionKey } from '../../lambda/contract/profile-store';
import { tenantKey, type Tenant } from '../../lambda/contract/tenant';
import { LOCAL_CREDENTIALS } from '../local-network';
import { generateProfiles, type GenerationOptions } from './profile-generator';

export interface SeedTarget {
  readonly dynamoDbEndpoint: string;
  readonly profileTable: string;
  readonly eventTable: string;
}

/**
 * Writes a generated data set for one tenant into the profile store, in the layout the export
 * engine reads (lambda/contract/profile-store.ts). Writing the same seed again overwrites the
 * same items: seeding is idempotent.
 */
export async function seedProfileStore(
  target: SeedTarget,
  tenant: Tenant,
  options: GenerationOptions,
): Promise<{ profiles: number; events: number }> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: target.dynamoDbEndpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const tenantText = tenantKey(tenant);
  const queue: Array<{ table: string; item: Record<string, unknown> }> = [];
  const writers: Promise<void>[] = [];
  let profiles = 0;
  let events = 0;

  const flush = async (batch: Array<{ table: string; item: Record<string, unknown> }>) => {
    let requestItems: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> = {};
    for (const { table, item } of batch) (requestItems[table] ??= []).push({ PutRequest: { Item: item } });
    for (let attempt = 0; Object.keys(requestItems).length > 0; attempt++) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: requestItems }));
      requestItems = (result.UnprocessedItems ?? {}) as typeof requestItems;
      if (Object.keys(requestItems).length > 0)
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** Math.min(attempt, 6)));
    }
  };

  for (const { profile, events: profileEvents } of generateProfiles(options)) {
    const pk = profilePartitionKey(tenantText, profileBucket(profile.profileId));
    queue.push({ table: target.profileTable, item: { pk, sk: profile.profileId, ...profile } });
    profiles += 1;
    for (const event of profileEvents) {
      queue.push({
        table: target.eventTable,
        item: { pk, sk: eventSortKey(event.profileId, event.ingestTime, event.eventId), ...event },
      });
      events += 1;
    }
    while (queue.length >= 25) {
      writers.push(flush(queue.splice(0, 25)));
      if (writers.length >= 16) await Promise.all(writers.splice(0, writers.length));
    }
  }
  if (queue.length > 0) writers.push(flush(queue.splice(0)));
  await Promise.all(writers);
  client.destroy();
  return { profiles, events };
}
