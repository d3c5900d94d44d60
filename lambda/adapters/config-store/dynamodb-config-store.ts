import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  CONFIG_KEYS,
  MERGE_POLICY_PREFIX,
  SEGMENT_DEFINITION_PREFIX,
  type ConfigTableKey,
} from '../../contract/config-table';
import type { MergePolicy } from '../../contract/merge-policy';
import type { SegmentDefinition } from '../../contract/segment-definition';
import type { Tenant } from '../../contract/tenant';
import type {
  ConfigPage,
  ConfigPageQuery,
  MergePolicyRepository,
  MergePolicyWriteOutcome,
  SegmentDefinitionRepository,
} from '../../domain/config/ports';
import { asThrottled } from '../dynamodb-throttling';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * The config table in DynamoDB (layout in `contract/config-table.ts`): merge policies with
 * their default markers, and segment definitions. Every write is conditional on the state the
 * use case read (a policy's version, a definition's update time), and a default is claimed
 * with its marker in one transaction, so two policies can never both be a schema's default.
 */
export class DynamoDbConfigStore implements MergePolicyRepository {
  readonly segmentDefinitions: SegmentDefinitionRepository;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.segmentDefinitions = new DynamoDbSegmentDefinitions(this);
  }

  // --- Merge policies ----------------------------------------------------------------------

  list(tenant: Tenant, query: ConfigPageQuery): Promise<ConfigPage<MergePolicy>> {
    return this.page<MergePolicy>(tenant, MERGE_POLICY_PREFIX, query);
  }

  get(tenant: Tenant, id: string): Promise<MergePolicy | undefined> {
    return this.item<MergePolicy>(CONFIG_KEYS.mergePolicy(tenant, id));
  }

  async defaultId(tenant: Tenant, schemaName: string): Promise<string | undefined> {
    const marker = await this.item<{ policyId: string }>(CONFIG_KEYS.defaultMergePolicy(tenant, schemaName));
    return marker?.policyId;
  }

  create(tenant: Tenant, policy: MergePolicy): Promise<MergePolicyWriteOutcome> {
    return this.transact([
      this.put(CONFIG_KEYS.mergePolicy(tenant, policy.id), policy, { condition: 'attribute_not_exists(pk)' }),
      ...(policy.default ? [this.claimDefault(tenant, policy)] : []),
    ]);
  }

  replace(tenant: Tenant, current: MergePolicy, next: MergePolicy): Promise<MergePolicyWriteOutcome> {
    return this.transact([
      this.put(CONFIG_KEYS.mergePolicy(tenant, next.id), next, {
        condition: 'version = :read',
        values: { ':read': current.version },
      }),
      ...(!current.default && next.default ? [this.claimDefault(tenant, next)] : []),
      ...(current.default && !next.default ? [this.releaseDefault(tenant, current)] : []),
    ]);
  }

  remove(tenant: Tenant, current: MergePolicy): Promise<MergePolicyWriteOutcome> {
    return this.transact([
      {
        Delete: {
          TableName: this.tableName,
          Key: CONFIG_KEYS.mergePolicy(tenant, current.id),
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: { ':read': current.version },
        },
      },
      ...(current.default ? [this.releaseDefault(tenant, current)] : []),
    ]);
  }

  /** The marker naming `policy` as its schema's default, unless another policy holds it. */
  private claimDefault(tenant: Tenant, policy: MergePolicy): TransactItem {
    return this.put(
      CONFIG_KEYS.defaultMergePolicy(tenant, policy.schema.name),
      { policyId: policy.id },
      { condition: 'attribute_not_exists(pk) OR policyId = :id', values: { ':id': policy.id } },
    );
  }

  private releaseDefault(tenant: Tenant, policy: MergePolicy): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: CONFIG_KEYS.defaultMergePolicy(tenant, policy.schema.name),
        ConditionExpression: 'policyId = :id',
        ExpressionAttributeValues: { ':id': policy.id },
      },
    };
  }

  /** Runs the writes as one transaction: the first refused condition says why. */
  private async transact(items: TransactItem[]): Promise<MergePolicyWriteOutcome> {
    try {
      await this.throttled(this.client.send(new TransactWriteCommand({ TransactItems: items })));
      return 'written';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const refused = (error.CancellationReasons ?? []).findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (refused === -1) throw error;
      // Item 0 is the policy itself; a refused claim of the marker means another policy holds it.
      return refused > 0 && 'Put' in items[refused] ? 'default-taken' : 'changed';
    }
  }

  // --- Shared by both kinds --------------------------------------------------------------

  put(
    key: ConfigTableKey,
    fields: object,
    options: { condition: string; values?: Record<string, unknown> },
  ): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...fields, ...key },
        ConditionExpression: options.condition,
        ...(options.values && { ExpressionAttributeValues: options.values }),
      },
    };
  }

  async item<T>(key: ConfigTableKey): Promise<T | undefined> {
    const result = await this.throttled(
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return result.Item ? withoutKeys<T>(result.Item) : undefined;
  }

  async page<T>(tenant: Tenant, prefix: string, query: ConfigPageQuery): Promise<ConfigPage<T>> {
    const pk = CONFIG_KEYS.partition(tenant);
    const result = await this.throttled(
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          Limit: query.limit,
          ...(query.after !== undefined && { ExclusiveStartKey: { pk, sk: `${prefix}${query.after}` } }),
        }),
      ),
    );
    const last = result.LastEvaluatedKey?.sk as string | undefined;
    return {
      items: (result.Items ?? []).map((item) => withoutKeys<T>(item)),
      ...(last !== undefined && { next: last.slice(prefix.length) }),
    };
  }

  /** A single conditional write: false when its condition was refused. */
  async conditionalWrite(command: PutCommand | DeleteCommand): Promise<boolean> {
    try {
      // Both commands answer the same shape; send's overloads take one command type at a time.
      await this.throttled(this.client.send(command as PutCommand));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  get table(): string {
    return this.tableName;
  }

  private async throttled<T>(request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (error) {
      throw asThrottled(error, 'config store') ?? error;
    }
  }
}

/** Segment definitions in the same table; a write is conditional on the update time read. */
class DynamoDbSegmentDefinitions implements SegmentDefinitionRepository {
  constructor(private readonly store: DynamoDbConfigStore) {}

  list(tenant: Tenant, query: ConfigPageQuery): Promise<ConfigPage<SegmentDefinition>> {
    return this.store.page<SegmentDefinition>(tenant, SEGMENT_DEFINITION_PREFIX, query);
  }

  get(tenant: Tenant, id: string): Promise<SegmentDefinition | undefined> {
    return this.store.item<SegmentDefinition>(CONFIG_KEYS.segmentDefinition(tenant, id));
  }

  async create(tenant: Tenant, definition: SegmentDefinition): Promise<void> {
    const written = await this.store.conditionalWrite(
      new PutCommand(
        this.store.put(CONFIG_KEYS.segmentDefinition(tenant, definition.id), definition, {
          condition: 'attribute_not_exists(pk)',
        }).Put!,
      ),
    );
    if (!written) throw new Error(`Segment definition id ${definition.id} is taken.`);
  }

  replace(tenant: Tenant, current: SegmentDefinition, next: SegmentDefinition): Promise<boolean> {
    return this.store.conditionalWrite(
      new PutCommand(
        this.store.put(CONFIG_KEYS.segmentDefinition(tenant, next.id), next, {
          condition: 'updateTime = :read',
          values: { ':read': current.updateTime },
        }).Put!,
      ),
    );
  }

  remove(tenant: Tenant, current: SegmentDefinition): Promise<boolean> {
    return this.store.conditionalWrite(
      new DeleteCommand({
        TableName: this.store.table,
        Key: CONFIG_KEYS.segmentDefinition(tenant, current.id),
        ConditionExpression: 'updateTime = :read',
        ExpressionAttributeValues: { ':read': current.updateTime },
      }),
    );
  }
}

function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...fields } = item;
  return fields as T;
}
