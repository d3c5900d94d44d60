import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { JobError, JobMetrics, JobStatus } from '../contract/job-record';
import type { JobItemKey } from '../contract/workflow';
import type { ExportProgress, PartSummary } from '../domain/export/ports';
import type { ExportJobStore, JobTiming } from '../domain/export/workflow-ports';

/** Part records are bookkeeping for the finalizer: DynamoDB's TTL removes them after a week. */
const PART_RECORD_TTL_SECONDS = 7 * 24 * 60 * 60;

function partSortKey(keys: JobItemKey, part: Pick<PartSummary, 'batchId' | 'fileName'>): string {
  return `${keys.sk}#PART#${part.batchId}#${part.fileName}`;
}

/** The tenant key is the job item's partition key, so `<pk>#<status>` is its byStatus key. */
function tenantStatus(keys: JobItemKey, status: JobStatus): string {
  return `${keys.pk}#${status}`;
}

/** The job-table side of the export workflow (see ExportJobStore). */
export class DynamoDbExportJobStore implements ExportJobStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  startExport(keys: JobItemKey, now: number): Promise<boolean> {
    return this.update(keys, 'SET updateTime = :now, #metrics.profileExportTime = :start', '#status = :processing', {
      ':now': now,
      ':start': { startTimeInMs: now },
      ':processing': 'PROCESSING',
    });
  }

  async claimFinalization(keys: JobItemKey, now: number): Promise<'claimed' | 'cancel-requested' | 'not-running'> {
    const claimed = await this.update(
      keys,
      'SET finalizingAt = :now, updateTime = :now',
      '#status = :processing AND attribute_not_exists(cancelRequestedAt)',
      { ':now': now, ':processing': 'PROCESSING' },
    );
    if (claimed) return 'claimed';
    const job = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys,
        ConsistentRead: true,
        ProjectionExpression: '#status, cancelRequestedAt',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    return job.Item?.status === 'PROCESSING' && job.Item.cancelRequestedAt !== undefined
      ? 'cancel-requested'
      : 'not-running';
  }

  async listParts(keys: JobItemKey): Promise<PartSummary[]> {
    const parts: PartSummary[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.pk, ':prefix': `${keys.sk}#PART#` },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        parts.push({
          batchId: item.batchId,
          key: item.key,
          fileName: item.fileName,
          records: item.records,
          bytes: item.bytes,
          sha256: item.sha256,
          namespaces: item.namespaces ?? {},
        });
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return parts;
  }

  complete(keys: JobItemKey, metrics: JobMetrics, now: number): Promise<boolean> {
    return this.transition(keys, ['PROCESSING'], 'SUCCEEDED', now, '#metrics = :metrics', { ':metrics': metrics });
  }

  cancel(keys: JobItemKey, totalTime: JobTiming, now: number): Promise<boolean> {
    return this.transition(keys, ['NEW', 'PROCESSING'], 'CANCELLED', now, '#metrics.totalTime = :totalTime', {
      ':totalTime': totalTime,
    });
  }

  fail(keys: JobItemKey, errors: JobError[], totalTime: JobTiming, now: number): Promise<boolean> {
    return this.transition(
      keys,
      ['NEW', 'PROCESSING'],
      'FAILED',
      now,
      '#metrics.totalTime = :totalTime, #errors = list_append(#errors, :errors)',
      { ':totalTime': totalTime, ':errors': errors },
      { '#errors': 'errors' },
    );
  }

  /** The progress port of one job's workers. */
  progressOf(keys: JobItemKey, expiresAt: () => number): ExportProgress {
    return { recordPart: (part) => this.recordPart(keys, part, expiresAt()) };
  }

  /**
   * Records a finished part for the manifest, and adds its counts to the job's metrics so a
   * client polling GET sees progress. A retried step overwrites its part record but does not
   * add its counts twice; the final counts come from the part records, not from these sums.
   */
  private async recordPart(keys: JobItemKey, part: PartSummary, expiresAt: number): Promise<void> {
    const item = {
      pk: keys.pk,
      sk: partSortKey(keys, part),
      batchId: part.batchId,
      key: part.key,
      fileName: part.fileName,
      records: part.records,
      bytes: part.bytes,
      sha256: part.sha256,
      namespaces: part.namespaces,
      expiresAt: Math.floor(expiresAt / 1000) + PART_RECORD_TTL_SECONDS,
    };
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
      return;
    }
    const namespaces = Object.entries(part.namespaces);
    await this.update(
      keys,
      [
        'ADD #metrics.totalExportedProfileCounter :records',
        ...namespaces.map((_, index) => `#metrics.exportedProfileByNamespaceCounter.#ns${index} :ns${index}`),
      ].join(', '),
      '#status = :processing',
      {
        ':records': part.records,
        ':processing': 'PROCESSING',
        ...Object.fromEntries(namespaces.map(([, count], index) => [`:ns${index}`, count])),
      },
      Object.fromEntries(namespaces.map(([namespace], index) => [`#ns${index}`, namespace])),
    );
  }

  private transition(
    keys: JobItemKey,
    from: JobStatus[],
    to: JobStatus,
    now: number,
    set: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<boolean> {
    const allowed = from.map((_, index) => `:from${index}`);
    return this.update(
      keys,
      `SET #status = :to, tenantStatus = :tenantStatus, updateTime = :now, ${set}`,
      `#status IN (${allowed.join(', ')})`,
      {
        ':to': to,
        ':tenantStatus': tenantStatus(keys, to),
        ':now': now,
        ...Object.fromEntries(from.map((status, index) => [`:from${index}`, status])),
        ...values,
      },
      names,
    );
  }

  /** A conditional update: true when applied, false when the condition did not hold. */
  private async update(
    keys: JobItemKey,
    updateExpression: string,
    condition: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys,
          UpdateExpression: updateExpression,
          ConditionExpression: condition,
          ExpressionAttributeNames: {
            '#status': 'status',
            // "metrics" is a DynamoDB reserved word.
            ...(updateExpression.includes('#metrics') && { '#metrics': 'metrics' }),
            ...names,
          },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
