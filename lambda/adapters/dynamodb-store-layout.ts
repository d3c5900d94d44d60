import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STORE_LAYOUT, storeLayoutKey } from '../contract/profile-store';
import { tenantKey, type Tenant } from '../contract/tenant';
import type { StoreLayouts } from '../domain/export/ports';

/**
 * The tenants' store layouts, items of the profile table (lambda/contract/profile-store.ts):
 * read by the planner, claimed by writers of profiles, added to from the table's stream.
 */
export class DynamoDbStoreLayouts implements StoreLayouts {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly profileTable: string,
  ) {}

  async occupiedShards(tenant: Tenant): Promise<readonly number[] | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.profileTable,
        Key: storeLayoutKey(tenantKey(tenant)),
        ProjectionExpression: '#occupied',
        ExpressionAttributeNames: { '#occupied': STORE_LAYOUT.occupiedShards },
      }),
    );
    if (!result.Item) return undefined;
    const occupied = result.Item[STORE_LAYOUT.occupiedShards] as Set<number> | undefined;
    return [...(occupied ?? [])].sort((a, b) => a - b);
  }

  /**
   * The tenant's bucket count: the one recorded by the tenant's first writer, or `shards` when
   * this is the first (recorded now, atomically: two first writers agree on one count).
   */
  async claimShards(tenantKeyText: string, shards: number): Promise<number> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.profileTable,
        Key: storeLayoutKey(tenantKeyText),
        UpdateExpression: 'SET #shards = if_not_exists(#shards, :shards)',
        ExpressionAttributeNames: { '#shards': STORE_LAYOUT.shards },
        ExpressionAttributeValues: { ':shards': shards },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes?.[STORE_LAYOUT.shards] as number;
  }

  /** Adds buckets to the tenant's occupied ones (idempotent: a set). */
  async markOccupied(tenantKeyText: string, buckets: readonly number[]): Promise<void> {
    if (buckets.length === 0) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.profileTable,
        Key: storeLayoutKey(tenantKeyText),
        UpdateExpression: 'ADD #occupied :buckets',
        ExpressionAttributeNames: { '#occupied': STORE_LAYOUT.occupiedShards },
        ExpressionAttributeValues: { ':buckets': new Set(buckets) },
      }),
    );
  }
}
