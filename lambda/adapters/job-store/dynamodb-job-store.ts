import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { JobError, JobMetrics, JobRecord, JobStatus } from '../../contract/job-record';
import { JOB_KEYS, JOB_TABLE, type JobTableKey } from '../../contract/job-table';
import type { Tenant } from '../../contract/tenant';
import type { ExportableJob } from '../../contract/workflow';
import type { Cursor } from '../../domain/cursor';
import { throttledRequest } from '../dynamodb-throttling';
import { responseBytes } from '../../domain/page-budget';
import type { ExportProgress, PartSummary } from '../../domain/export/ports';
import type { ExportJobStore, FinalizationClaim } from '../../domain/export/workflow-ports';
import type { JobPageQuery, JobRef, JobRepository, JobTiming } from '../../domain/ports';
import type { BatchDirectory, BatchRef } from '../../domain/read-batch/ports';
import { fromBatchItem, fromJobItem, fromPartItem, toBatchItems, toJobItem, toPartItem, type Item } from './job-item';
import { statusChange, statusIn, type ConditionalUpdate } from './status-change';

/** Part records are bookkeeping for the finalizer: DynamoDB's TTL removes them after a week. */
const PART_RECORD_TTL_SECONDS = 7 * 24 * 60 * 60;

/** Marks the workflow and DELETE leave on a PROCESSING job (storage only, never shown). */
const CANCEL_REQUESTED = 'cancelRequestedAt';
const FINALIZING = 'finalizingAt';

/** DynamoDB's limit on the items of one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

const PK = JOB_TABLE.partitionKey;
const SK = JOB_TABLE.sortKey;

/**
 * The job table in DynamoDB, the one adapter that reads and writes its items (layout and keys
 * in `contract/job-table.ts`). It serves the API's use cases (JobRepository) and the export
 * workflow (ExportJobStore). Every change of status is a conditional write whose allowed-from
 * statuses come from the lifecycle (`statusChange`); none reads first.
 */
export class DynamoDbJobStore implements JobRepository, ExportJobStore, BatchDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // --- The API's use cases -------------------------------------------------------------

  async nextJobId(tenant: Tenant): Promise<number> {
    // An atomic counter: ADD is applied by DynamoDB itself, so concurrent creates never share an id.
    const result = await this.throttled(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: JOB_KEYS.counter(tenant),
          UpdateExpression: 'ADD lastJobId :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return Number(result.Attributes?.lastJobId);
  }

  async insert(job: ExportableJob): Promise<void> {
    // The job and the items that find its batches by id are written together, so a batch id
    // the API has returned is always found. A transaction holds at most 100 items: the batches
    // that do not fit (a job of more than 99 segments) are written first, so they exist before
    // the job does; nobody learns their ids if the job's transaction then fails.
    const newItem = (Item: Item) => ({
      TableName: this.tableName,
      Item,
      ConditionExpression: `attribute_not_exists(${PK})`,
    });
    const batches = toBatchItems(job);
    const inTransaction = batches.slice(0, MAX_TRANSACTION_ITEMS - 1);
    for (const item of batches.slice(inTransaction.length)) {
      await this.throttled(this.client.send(new PutCommand(newItem(item))));
    }
    await this.throttled(
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [toJobItem(job), ...inTransaction].map((item) => ({ Put: newItem(item) })),
        }),
      ),
    );
  }

  async findBatch(tenant: Tenant, batchId: string): Promise<BatchRef | undefined> {
    const result = await this.throttled(
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: JOB_KEYS.batch(tenant, batchId), ConsistentRead: true }),
      ),
    );
    return result.Item ? fromBatchItem(result.Item) : undefined;
  }

  async get(tenant: Tenant, id: number): Promise<JobRecord | undefined> {
    const result = await this.throttled(
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: JOB_KEYS.job(tenant, id), ConsistentRead: true }),
      ),
    );
    return result.Item ? fromJobItem(result.Item) : undefined;
  }

  async listPage(tenant: Tenant, query: JobPageQuery): Promise<{ jobs: JobRecord[]; hasMore: boolean }> {
    const index = query.status ? JOB_TABLE.byStatus : JOB_TABLE.byCreationTime;
    const partition = query.status ? JOB_KEYS.tenantStatus(tenant, query.status) : JOB_KEYS.partition(tenant);
    const jobs: JobRecord[] = [];
    let bytes = 0;
    let startKey = query.after ? this.startKeyAfter(tenant, query.after, query.status) : undefined;
    // One more item than asked tells whether another page exists. DynamoDB stops each query at
    // 1 MB, so keep reading until the page is full (in number, or in bytes: the use case cuts
    // the page there) or the index is exhausted.
    const full = () => jobs.length > query.limit || (query.maxBytes !== undefined && bytes > query.maxBytes);
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
            Limit: query.limit + 1 - jobs.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of result.Items ?? []) {
        const job = fromJobItem(item);
        jobs.push(job);
        bytes += responseBytes(job);
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey && !full());
    return {
      jobs: jobs.slice(0, query.limit),
      hasMore: jobs.length > query.limit || (startKey !== undefined && full()),
    };
  }

  cancel(tenant: Tenant, id: number, from: 'NEW' | 'PROCESSING', at: number, totalTime: JobTiming): Promise<boolean> {
    // A PROCESSING job is cancelled only once marked, and only while its workflow is not finalizing it.
    const marked: ConditionalUpdate = {
      set: [],
      conditions:
        from === 'PROCESSING' ? [`attribute_exists(${CANCEL_REQUESTED})`, `attribute_not_exists(${FINALIZING})`] : [],
      values: {},
    };
    return this.update(
      { tenant, id },
      [statusChange(tenant, 'CANCELLED', [from]), marked, totalTimeAt(at, totalTime)],
      { throttled: true },
    );
  }

  requestCancel(tenant: Tenant, id: number, at: number): Promise<boolean> {
    return this.update(
      { tenant, id },
      [
        statusIn(['PROCESSING']),
        {
          set: [`${CANCEL_REQUESTED} = if_not_exists(${CANCEL_REQUESTED}, :at)`, 'updateTime = :at'],
          conditions: [`attribute_not_exists(${FINALIZING})`],
          values: { ':at': at },
        },
      ],
      { throttled: true },
    );
  }

  async remove(tenant: Tenant, id: number, status: JobStatus): Promise<boolean> {
    const { conditions, values } = statusIn([status]);
    try {
      await this.throttled(
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: JOB_KEYS.job(tenant, id),
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  // --- The export workflow ----------------------------------------------------------------

  startExport(job: JobRef, executionId: string | undefined, now: number): Promise<boolean> {
    return this.update(job, [
      // NEW → PROCESSING, or PROCESSING again when this step is retried. An execution of an
      // earlier definition carries no id: its own first state made the job PROCESSING.
      statusChange(job.tenant, 'PROCESSING', executionId ? ['NEW', 'PROCESSING'] : ['PROCESSING']),
      {
        set: [
          'updateTime = :now',
          '#metrics.profileExportTime = :start',
          '#metrics.totalExportedProfileCounter = if_not_exists(#metrics.totalExportedProfileCounter, :zero)',
          '#metrics.exportedProfileByNamespaceCounter = if_not_exists(#metrics.exportedProfileByNamespaceCounter, :none)',
        ],
        // Only the job's own execution may run it.
        conditions: executionId ? ['computeGatewayJobId.exportJob = :execution'] : [],
        values: {
          ':now': now,
          ':start': { startTimeInMs: now },
          ':zero': 0,
          ':none': {},
          ...(executionId && { ':execution': executionId }),
        },
      },
    ]);
  }

  async claimFinalization(job: JobRef, now: number): Promise<FinalizationClaim> {
    try {
      await this.client.send(
        this.updateCommand(job, [
          statusIn(['PROCESSING']),
          {
            set: [`${FINALIZING} = :now`, 'updateTime = :now'],
            conditions: [`attribute_not_exists(${CANCEL_REQUESTED})`],
            values: { ':now': now },
          },
        ]),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The item as it was when the condition failed says why, without a second read.
      const item = error.Item ? unmarshall(error.Item) : undefined;
      return item?.status === 'PROCESSING' && item[CANCEL_REQUESTED] !== undefined ? 'cancel-requested' : 'not-running';
    }
  }

  async listParts(job: JobRef): Promise<PartSummary[]> {
    const parts: PartSummary[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: {
            ':pk': JOB_KEYS.partition(job.tenant),
            ':prefix': JOB_KEYS.partPrefix(job.id),
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      parts.push(...(result.Items ?? []).map(fromPartItem));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return parts;
  }

  complete(job: JobRef, metrics: JobMetrics, now: number): Promise<boolean> {
    return this.update(job, [
      statusChange(job.tenant, 'SUCCEEDED'),
      {
        set: ['updateTime = :now', '#metrics = :metrics'],
        conditions: [],
        values: { ':now': now, ':metrics': metrics },
      },
    ]);
  }

  endCancelled(job: JobRef, totalTime: JobTiming, now: number): Promise<boolean> {
    return this.update(job, [statusChange(job.tenant, 'CANCELLED'), totalTimeAt(now, totalTime)]);
  }

  fail(job: JobRef, errors: JobError[], totalTime: JobTiming, now: number): Promise<boolean> {
    return this.update(
      job,
      [
        statusChange(job.tenant, 'FAILED'),
        totalTimeAt(now, totalTime),
        { set: ['#errors = list_append(#errors, :errors)'], conditions: [], values: { ':errors': errors } },
      ],
      { names: { '#errors': 'errors' } },
    );
  }

  /** The progress port of one job's workers. */
  progressOf(job: JobRef, expiresAt: () => number): ExportProgress {
    return { recordPart: (part) => this.recordPart(job, part, expiresAt()) };
  }

  /**
   * Records a finished part for the manifest, and adds its counts to the job's metrics so a
   * client polling GET sees progress. A retried step overwrites its part record but does not
   * add its counts twice; the final counts come from the part records, not from these sums.
   */
  private async recordPart(job: JobRef, part: PartSummary, expiresAt: number): Promise<boolean> {
    const item = toPartItem(job.tenant, job.id, part, Math.floor(expiresAt / 1000) + PART_RECORD_TTL_SECONDS);
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: `attribute_not_exists(${PK})` }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
      return this.isRunning(job);
    }
    const namespaces = Object.entries(part.namespaces);
    const { conditions, values } = statusIn(['PROCESSING']);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: JOB_KEYS.job(job.tenant, job.id),
          UpdateExpression: [
            'ADD #metrics.totalExportedProfileCounter :records',
            ...namespaces.map((_, index) => `#metrics.exportedProfileByNamespaceCounter.#ns${index} :ns${index}`),
          ].join(', '),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: {
            '#status': 'status',
            '#metrics': 'metrics',
            ...Object.fromEntries(namespaces.map(([namespace], index) => [`#ns${index}`, namespace])),
          },
          ExpressionAttributeValues: {
            ...values,
            ':records': part.records,
            ...Object.fromEntries(namespaces.map(([, count], index) => [`:ns${index}`, count])),
          },
        }),
      );
      return true;
    } catch (error) {
      // The job ended meanwhile (cancelled): its progress counters no longer matter.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
    }
  }

  /** Whether the job is still PROCESSING (a consistent read of its status only). */
  private async isRunning(job: JobRef): Promise<boolean> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: JOB_KEYS.job(job.tenant, job.id),
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
        ConsistentRead: true,
      }),
    );
    return result.Item?.status === 'PROCESSING';
  }

  // --- Plumbing ---------------------------------------------------------------------------

  /** The key a GSI query resumes after: the table key plus the index key of the cursor's job. */
  private startKeyAfter(tenant: Tenant, cursor: Cursor, status?: JobStatus): Item {
    return {
      ...JOB_KEYS.job(tenant, cursor.id),
      [JOB_TABLE.byCreationTime.sortKey]: JOB_KEYS.createdOrder(cursor),
      ...(status && { [JOB_TABLE.byStatus.partitionKey]: JOB_KEYS.tenantStatus(tenant, status) }),
    };
  }

  private updateCommand(job: JobRef, parts: ConditionalUpdate[], names: Record<string, string> = {}): UpdateCommand {
    const set = parts.flatMap((part) => part.set);
    const conditions = parts.flatMap((part) => part.conditions);
    const key: JobTableKey = JOB_KEYS.job(job.tenant, job.id);
    return new UpdateCommand({
      TableName: this.tableName,
      Key: key,
      UpdateExpression: `SET ${set.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: {
        '#status': 'status',
        // "metrics" is a DynamoDB reserved word.
        ...(set.some((clause) => clause.includes('#metrics')) && { '#metrics': 'metrics' }),
        ...names,
      },
      ExpressionAttributeValues: Object.assign({}, ...parts.map((part) => part.values)),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  }

  /** A conditional update: true when applied, false when its condition did not hold. */
  private async update(
    job: JobRef,
    parts: ConditionalUpdate[],
    options: { names?: Record<string, string>; throttled?: boolean } = {},
  ): Promise<boolean> {
    const command = this.updateCommand(job, parts, options.names);
    try {
      await (options.throttled ? this.throttled(this.client.send(command)) : this.client.send(command));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Awaits a request of the API's use cases: throttling that outlasted the SDK's retries is a 429. */
  private throttled<T>(request: Promise<T>): Promise<T> {
    return throttledRequest(request, 'job store');
  }
}

/** SET the job's update time and total time. */
function totalTimeAt(at: number, totalTime: JobTiming): ConditionalUpdate {
  return {
    set: ['updateTime = :at', '#metrics.totalTime = :totalTime'],
    conditions: [],
    values: { ':at': at, ':totalTime': totalTime },
  };
}
