import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbStoreLayouts } from '../../../lambda/adapters/dynamodb-store-layout';
import { localDocumentClient } from '../../../bin/support/local-dynamodb';
import type { LocalService } from '../../../bin/support/local-service';
import {
  PROFILE_STORE,
  profileBucket,
  profilePartitionKey,
  type ProfileFragment,
} from '../../../lambda/contract/profile-store';
import { tenantKey, type Tenant } from '../../../lambda/contract/tenant';

/**
 * Writes fragments into the local profile store as ingestion does: each replaces its own
 * dataset's fragment of the profile (`SET fragments.#ds = :fragment`) without touching the
 * others, and raises the profile's update time to the fragment's when newer, in the bucket of
 * the tenant's recorded shard count (the layout of `lambda/contract/profile-store.ts`).
 */
export async function ingestFragments(
  stack: LocalService,
  tenant: Tenant,
  changes: ReadonlyArray<{ readonly profileId: string; readonly fragment: ProfileFragment }>,
): Promise<void> {
  const { client, close } = localDocumentClient(stack.dynamoDbEndpoint, 4);
  try {
    const tenantText = tenantKey(tenant);
    const layouts = new DynamoDbStoreLayouts(client, stack.resources.profileTable);
    const shards = await layouts.claimShards(tenantText, Number(stack.resources.profileStoreShards));
    for (const { profileId, fragment } of changes) {
      await client.send(
        new UpdateCommand({
          TableName: stack.resources.profileTable,
          Key: {
            [PROFILE_STORE.partitionKey]: profilePartitionKey(tenantText, profileBucket(profileId, shards)),
            [PROFILE_STORE.sortKey]: profileId,
          },
          UpdateExpression: 'SET fragments.#ds = :fragment, mergedUpdateTime = :time',
          ConditionExpression: 'attribute_exists(fragments) AND mergedUpdateTime <= :time',
          ExpressionAttributeNames: { '#ds': fragment.datasetId },
          ExpressionAttributeValues: {
            ':fragment': { updateTime: fragment.updateTime, attributes: fragment.attributes },
            ':time': fragment.updateTime,
          },
        }),
      );
    }
  } finally {
    close();
  }
}
