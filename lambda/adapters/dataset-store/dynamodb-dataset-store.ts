import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DatasetSchema, type Dataset } from '../../contract/dataset';
import { DATASET_KEYS, DATASET_TABLE } from '../../contract/dataset-table';
import type { Tenant } from '../../contract/tenant';
import { orderBySchema } from '../../domain/order-by-schema';
import type { DatasetRepository, StoredDataset } from '../../domain/ports';
import { throttledRequest } from '../dynamodb-throttling';

const PK = DATASET_TABLE.partitionKey;
const SK = DATASET_TABLE.sortKey;

/**
 * The dataset table in DynamoDB, the one adapter that reads and writes its items (layout and
 * keys in `contract/dataset-table.ts`).
 */
export class DynamoDbDatasetStore implements DatasetRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async insert(tenant: Tenant, { id, dataset }: StoredDataset): Promise<void> {
    await this.throttled(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...dataset, ...DATASET_KEYS.dataset(tenant, id) },
          ConditionExpression: `attribute_not_exists(${PK})`,
        }),
      ),
    );
  }

  async get(tenant: Tenant, id: string): Promise<Dataset | undefined> {
    const result = await this.throttled(
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: DATASET_KEYS.dataset(tenant, id), ConsistentRead: true }),
      ),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  }

  async listPage(
    tenant: Tenant,
    query: { readonly limit: number; readonly start?: string },
  ): Promise<{ datasets: StoredDataset[]; hasMore: boolean }> {
    const datasets: StoredDataset[] = [];
    let startKey: Record<string, unknown> | undefined = query.start
      ? { ...DATASET_KEYS.dataset(tenant, query.start) }
      : undefined;
    // One more item than asked tells whether another page exists; DynamoDB stops each query
    // at 1 MB, so read on until the page is full or the partition is exhausted.
    do {
      const result = await this.throttled(
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': PK },
            ExpressionAttributeValues: { ':pk': DATASET_KEYS.partition(tenant) },
            ScanIndexForward: false,
            Limit: query.limit + 1 - datasets.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of result.Items ?? []) datasets.push({ id: String(item[SK]), dataset: fromItem(item) });
      startKey = result.LastEvaluatedKey;
    } while (startKey && datasets.length <= query.limit);
    return { datasets: datasets.slice(0, query.limit), hasMore: datasets.length > query.limit };
  }

  private throttled<T>(request: Promise<T>): Promise<T> {
    return throttledRequest(request, 'dataset store');
  }
}

/** The dataset an item stores, without its keys, its fields in the documented order. */
function fromItem(item: Record<string, unknown>): Dataset {
  const { [PK]: _pk, [SK]: _sk, ...dataset } = item;
  return orderBySchema(DatasetSchema, dataset) as unknown as Dataset;
}
