import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { JobRecordSchema, type JobRecord, type JobStatus } from '../contract/job-record';
import { orderKey, type Cursor } from '../domain/cursor';
import { ThrottledError } from '../domain/errors';
import { orderBySchema } from '../domain/order-by-schema';
import type { JobPageQuery, JobRepository, JobTiming } from '../domain/ports';
import { tenantKey, type Tenant } from '../domain/tenant';
import { JOB_TABLE } from './job-table-layout';

type Item = Record<string, unknown>;

/** Attributes of a job item that are storage keys, not part of the job record. */
const STORAGE_ATTRIBUTES = [
  'pk',
  'sk',
  'createdOrder',
  'tenantStatus',
  'cancelRequestedAt',
  'finalizingAt',
  'expiresAt',
] as const;

const COUNTER_SORT_KEY = 'COUNTER';

export function jobSortKey(id: number): string {
  return `JOB#${String(id).padStart(16, '0')}`;
}

function jobKey(tenant: Tenant, id: number): Item {
  return { pk: tenantKey(tenant), sk: jobSortKey(id) };
}

function tenantStatusKey(tenant: Tenant, status: JobStatus): string {
  return `${tenantKey(tenant)}#${status}`;
}

export function toJobItem(job: JobRecord): Item {
  const tenant = { orgId: job.imsOrgId, sandboxName: job.sandboxName };
  return {
    ...job,
    pk: tenantKey(tenant),
    sk: jobSortKey(job.id),
    createdOrder: orderKey(job),
    tenantStatus: tenantStatusKey(tenant, job.status),
  };
}

export function fromJobItem(item: Item): JobRecord {
  const record: Item = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) delete record[attribute];
  return orderBySchema(JobRecordSchema, record) as unknown as JobRecord;
}

/** The job table in DynamoDB (layout in job-table-layout.ts). */
export class DynamoDbJobRepository implements JobRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async nextJobId(tenant: Tenant): Promise<number> {
    // An atomic counter: ADD is applied by DynamoDB itself, so concurrent creates never share an id.
    const result = await this.throttled(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: tenantKey(tenant), sk: COUNTER_SORT_KEY },
          UpdateExpression: 'ADD lastJobId :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return Number(result.Attributes?.lastJobId);
  }

  async insert(job: JobRecord): Promise<void> {
    await this.throttled(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toJobItem(job),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(tenant: Tenant, id: number): Promise<JobRecord | undefined> {
    const result = await this.throttled(
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: jobKey(tenant, id),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? fromJobItem(result.Item) : undefined;
  }

  async listPage(tenant: Tenant, query: JobPageQuery): Promise<{ jobs: JobRecord[]; hasMore: boolean }> {
    const index = query.status ? JOB_TABLE.byStatus : JOB_TABLE.byCreationTime;
    const partition = query.status ? tenantStatusKey(tenant, query.status) : tenantKey(tenant);
    const items: Item[] = [];
    let startKey = query.after ? this.startKeyAfter(tenant, query.after, query.status) : undefined;
    // One more item than asked tells whether another page exists. DynamoDB may stop early at
    // 1 MB, so keep reading until the page is full or the index is exhausted.
    do {
      const result = await this.throttled(
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index.indexName,
            KeyConditionExpression: '#partition = :partition',
            ExpressionAttributeNames: { '#partition': index.partitionKey },
            ExpressionAttributeValues: { ':partition': partition },
            ScanIndexForward: false,
            Limit: query.limit + 1 - items.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length <= query.limit);
    return { jobs: items.slice(0, query.limit).map(fromJobItem), hasMore: items.length > query.limit };
  }

  cancel(tenant: Tenant, id: number, from: 'NEW' | 'PROCESSING', at: number, totalTime: JobTiming): Promise<boolean> {
    const condition =
      from === 'NEW'
        ? '#status = :from'
        : '#status = :from AND attribute_exists(cancelRequestedAt) AND attribute_not_exists(finalizingAt)';
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: jobKey(tenant, id),
        UpdateExpression:
          'SET #status = :cancelled, tenantStatus = :tenantStatus, updateTime = :at, #metrics.totalTime = :totalTime',
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#status': 'status', '#metrics': 'metrics' },
        ExpressionAttributeValues: {
          ':cancelled': 'CANCELLED',
          ':from': from,
          ':tenantStatus': tenantStatusKey(tenant, 'CANCELLED'),
          ':at': at,
          ':totalTime': totalTime,
        },
      }),
    );
  }

  requestCancel(tenant: Tenant, id: number, at: number): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: jobKey(tenant, id),
        UpdateExpression: 'SET cancelRequestedAt = if_not_exists(cancelRequestedAt, :at), updateTime = :at',
        ConditionExpression: '#status = :processing AND attribute_not_exists(finalizingAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'PROCESSING', ':at': at },
      }),
    );
  }

  remove(tenant: Tenant, id: number, status: JobStatus): Promise<boolean> {
    return this.conditionally(
      new DeleteCommand({
        TableName: this.tableName,
        Key: jobKey(tenant, id),
        ConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
      }),
    );
  }

  /** The key a GSI query resumes after: the table key plus the index key of the cursor's job. */
  private startKeyAfter(tenant: Tenant, cursor: Cursor, status?: JobStatus): Item {
    return {
      ...jobKey(tenant, cursor.id),
      createdOrder: orderKey(cursor),
      ...(status && { tenantStatus: tenantStatusKey(tenant, status) }),
    };
  }

  /** Sends a conditional write: true when applied, false when its condition did not hold. */
  private async conditionally(command: UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.throttled(command instanceof UpdateCommand ? this.client.send(command) : this.client.send(command));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async throttled<T>(request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (error) {
      throw asThrottled(error) ?? error;
    }
  }
}

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** DynamoDB throttling that outlasted the SDK's own retries becomes a 429 for the client. */
function asThrottled(error: unknown): ThrottledError | undefined {
  const name = (error as { name?: string })?.name;
  return name && THROTTLING_ERRORS.has(name)
    ? new ThrottledError('The job store is busy; retry shortly.', 1)
    : undefined;
}
