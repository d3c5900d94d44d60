import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbStoreLayouts } from '../../lambda/adapters/dynamodb-store-layout';
import { eventSortKey, profileBucket, profilePartitionKey, toProfileItem } from '../../lambda/contract/profile-store';
import { tenantKey, type Tenant } from '../../lambda/contract/tenant';
import { localDocumentClient } from './local-dynamodb';
import { generateProfiles, type GenerationOptions } from './profile-generator';
import { seedSegmentDefinitions } from './seed-segment-definitions';

export interface SeedTarget {
  readonly dynamoDbEndpoint: string;
  readonly resources: {
    readonly profileTable: string;
    readonly eventTable: string;
    readonly configTable: string;
    /** The bucket count claimed for a tenant that has none yet (the construct's profileStoreShards). */
    readonly profileStoreShards: string;
  };
}

/** BatchWriteItem's limit. */
const ITEMS_PER_REQUEST = 25;
/**
 * Requests kept in flight. DynamoDB Local spends its time per item, whatever the item's size,
 * on every core it has: measured on this 2-core machine (tiny items, BatchWriteItem of 25),
 * about 1,800 items/s with 8 requests in flight and 2,700 with 32, its ceiling.
 */
const REQUESTS_IN_FLIGHT = 32;

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };

/**
 * Writes a generated data set for one tenant into the profile store, in the layout the export
 * engine reads (lambda/contract/profile-store.ts): one item per profile holding its fragments.
 * The tenant's bucket count is the one its store layout records (claimed now for a new tenant),
 * and the buckets written are added to the layout's occupied shards once every item is written,
 * as any writer of profiles does. Writing the same seed again overwrites the same items: seeding
 * is idempotent. Requests go out as a continuous pool (a new one as soon as
 * one returns, over kept-alive connections), and items DynamoDB leaves unprocessed are sent
 * again with backoff. The tenant gets the segment definitions its stored memberships were
 * derived from (seed-segment-definitions.ts) first.
 */
export async function seedProfileStore(
  target: SeedTarget,
  tenant: Tenant,
  options: GenerationOptions,
): Promise<{ profiles: number; events: number }> {
  await seedSegmentDefinitions(target, tenant);
  const { client, close } = localDocumentClient(target.dynamoDbEndpoint, REQUESTS_IN_FLIGHT);
  const tenantText = tenantKey(tenant);
  let profiles = 0;
  let events = 0;

  const write = async (table: string, items: Record<string, unknown>[]) => {
    let requestItems: Record<string, WriteRequest[]> = {
      [table]: items.map((item) => ({ PutRequest: { Item: item } })),
    };
    for (let attempt = 0; Object.keys(requestItems).length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** Math.min(attempt, 6)));
      const result = await client.send(new BatchWriteCommand({ RequestItems: requestItems }));
      requestItems = (result.UnprocessedItems ?? {}) as typeof requestItems;
    }
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const send = async (table: string, items: Record<string, unknown>[]) => {
    while (inFlight.size >= REQUESTS_IN_FLIGHT) await Promise.race(inFlight);
    if (failure) throw failure;
    const request = write(table, items).then(
      () => void inFlight.delete(request),
      (error: unknown) => {
        inFlight.delete(request);
        failure ??= error;
      },
    );
    inFlight.add(request);
  };

  // One table per request: a request is as cheap to the emulator whatever it mixes, and
  // separate queues keep every request full.
  const profileQueue: Record<string, unknown>[] = [];
  const eventQueue: Record<string, unknown>[] = [];
  const layouts = new DynamoDbStoreLayouts(client, target.resources.profileTable);
  const occupied = new Set<number>();
  try {
    const shards = await layouts.claimShards(tenantText, Number(target.resources.profileStoreShards));
    for (const { profile, events: profileEvents } of generateProfiles(options)) {
      const bucket = profileBucket(profile.profileId, shards);
      occupied.add(bucket);
      const pk = profilePartitionKey(tenantText, bucket);
      profileQueue.push(toProfileItem(pk, profile));
      profiles += 1;
      for (const event of profileEvents) {
        eventQueue.push({ pk, sk: eventSortKey(event.profileId, event.ingestTime, event.eventId), ...event });
        events += 1;
      }
      if (profileQueue.length >= ITEMS_PER_REQUEST)
        await send(target.resources.profileTable, profileQueue.splice(0, ITEMS_PER_REQUEST));
      while (eventQueue.length >= ITEMS_PER_REQUEST)
        await send(target.resources.eventTable, eventQueue.splice(0, ITEMS_PER_REQUEST));
    }
    if (profileQueue.length > 0) await send(target.resources.profileTable, profileQueue.splice(0));
    if (eventQueue.length > 0) await send(target.resources.eventTable, eventQueue.splice(0));
    await Promise.all(inFlight);
    if (failure) throw failure;
    await layouts.markOccupied(tenantText, [...occupied]);
  } finally {
    close();
  }
  return { profiles, events };
}
