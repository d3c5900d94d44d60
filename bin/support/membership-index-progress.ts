import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { membershipPartitionKey } from '../../lambda/contract/membership-index';
import { DynamoDbStoreLayouts } from '../../lambda/adapters/dynamodb-store-layout';
import { tenantKey, type Tenant } from '../../lambda/contract/tenant';
import { membershipEntries } from '../../lambda/domain/membership-index/membership-changes';
import { localDocumentClient } from './local-dynamodb';
import { generateProfiles, type GenerationOptions } from './profile-generator';

/** Counting queries of the index in flight at once. */
const QUERIES_IN_FLIGHT = 16;

export interface IndexTarget {
  readonly dynamoDbEndpoint: string;
  readonly resources: { readonly membershipIndex: string; readonly profileTable: string };
}

/**
 * Waits until the membership index holds every membership of a generated data set (the service
 * indexes it from the profile table's stream, a little after the seeder wrote it), so that a
 * segment export that follows sees the whole store. Returns how long it waited.
 */
export async function waitForMembershipIndex(
  target: IndexTarget,
  tenant: Tenant,
  generation: GenerationOptions,
  timeoutMs = 600_000,
): Promise<number> {
  let expected = 0;
  const segmentIds = new Set<string>();
  // With the events as seeded: the memberships of segments defined over events derive from them.
  for (const { profile } of generateProfiles(generation)) {
    const entries = membershipEntries(profile.profileId, profile.fragments);
    expected += entries.length;
    for (const entry of entries) segmentIds.add(entry.segmentId);
  }
  const { client, close } = localDocumentClient(target.dynamoDbEndpoint, QUERIES_IN_FLIGHT);
  const started = Date.now();
  try {
    const shards = (await new DynamoDbStoreLayouts(client, target.resources.profileTable).occupiedShards(tenant)) ?? [];
    for (;;) {
      const indexed = await countIndexed(client, target.resources.membershipIndex, tenant, [...segmentIds], shards);
      if (indexed >= expected) return Date.now() - started;
      if (Date.now() - started > timeoutMs)
        throw new Error(`The membership index holds ${indexed} of ${expected} memberships after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    close();
  }
}

/** The index items of the tenant for these segments: one counting Query per segment and occupied shard. */
async function countIndexed(
  client: DynamoDBDocumentClient,
  table: string,
  tenant: Tenant,
  segmentIds: readonly string[],
  shards: readonly number[],
): Promise<number> {
  const partitions = segmentIds.flatMap((segmentId) =>
    shards.map((shard) => membershipPartitionKey(tenantKey(tenant), segmentId, shard)),
  );
  // A few queries at a time: one per segment and shard would queue hundreds of requests.
  const counts: number[] = [];
  const pending = [...partitions];
  await Promise.all(
    Array.from({ length: QUERIES_IN_FLIGHT }, async () => {
      for (let pk = pending.shift(); pk !== undefined; pk = pending.shift()) {
        let count = 0;
        let startKey: Record<string, unknown> | undefined;
        do {
          const result = await client.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': pk },
              Select: 'COUNT',
              ExclusiveStartKey: startKey,
            }),
          );
          count += result.Count ?? 0;
          startKey = result.LastEvaluatedKey;
        } while (startKey);
        counts.push(count);
      }
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
