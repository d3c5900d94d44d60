import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENVIRONMENT } from '../lambda/contract/environment';
import { MEMBERSHIP_INDEX } from '../lambda/contract/membership-index';
import { createServiceFunction } from './api/operation-function';
import type { FunctionDefaults } from './function-defaults';
import { acknowledgeKeyWrites, grantTable } from './grants';
import { hardenedTableProps } from './table-hardening';

/** Stream records handed to one invocation of the indexer. */
const INDEX_BATCH_SIZE = 500;

export interface MembershipIndexProps {
  /** The profile table, with a NEW_AND_OLD_IMAGES stream (see ProfileStore). */
  readonly profileTable: dynamodb.ITable;
  /** Where a stream batch goes once it expired (a day) without being indexed. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Settings shared with the service's other functions. */
  readonly functionDefaults: FunctionDefaults;
  /**
   * What happens to the index table when it leaves the stack (it can be rebuilt from the store).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Customer-managed KMS key that encrypts the index table.
   * @default - an AWS-managed key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The membership index of the profile store: one item per (profile, segment membership), keyed
 * `pk` = `<tenant>#<segmentId>#<shard>`, `sk` = `<profileId>#<namespace>` with the membership's
 * status and qualification time (lambda/contract/membership-index.ts), so that one segment's
 * members in one shard are one Query and an export that lists segments reads only their members.
 *
 * The service maintains it from the profile table's stream, so a profile table brought to the
 * service is indexed too: the table needs a NEW_AND_OLD_IMAGES stream. The index trails the
 * store by the stream's delay: `metricLag()` (the age of the records being indexed) says by how
 * much; a profile that joined a segment less than that ago may be missing from an export of it.
 * Records are retried until they expire from the stream (a day), then the dead-letter queue
 * receives a description of the batch.
 */
export class MembershipIndex extends Construct {
  /** The index table. */
  public readonly table: dynamodb.Table;
  /** The function that maintains it from the profile table's stream. */
  public readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: MembershipIndexProps) {
    super(scope, id);
    requireProfileTableStream(props.profileTable);
    const string = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: string(MEMBERSHIP_INDEX.partitionKey),
      sortKey: string(MEMBERSHIP_INDEX.sortKey),
      ...hardenedTableProps(props.encryptionKey, props.removalPolicy ?? RemovalPolicy.RETAIN),
    });
    const indexer = createServiceFunction(
      this,
      'IndexMembershipsFunction',
      'index-memberships',
      {
        ...props.functionDefaults,
        timeout: Duration.minutes(1),
        environment: {
          ...props.functionDefaults.environment,
          [ENVIRONMENT.membershipIndexTableName]: this.table.tableName,
          [ENVIRONMENT.profileTableName]: props.profileTable.tableName,
        },
      },
      'Keeps the membership index in step with the profile table',
    );
    grantTable(indexer, this.table, ['dynamodb:BatchWriteItem'], { writes: true });
    // The one write to the profile table: the occupied shards of tenants' store layouts, so
    // that the planner finds a tenant's non-empty shards in one read whoever wrote its profiles.
    grantTable(indexer, props.profileTable, ['dynamodb:UpdateItem'], { writes: true });
    indexer.addEventSource(
      new sources.DynamoEventSource(props.profileTable, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: INDEX_BATCH_SIZE,
        bisectBatchOnError: true,
        // A profile's records stay in order with several batches of a shard at once.
        parallelizationFactor: 4,
        onFailure: new sources.SqsDlq(props.deadLetterQueue),
      }),
    );
    if (props.deadLetterQueue.encryptionMasterKey) acknowledgeKeyWrites(indexer);
    this.function = indexer;
  }

  /**
   * How far the index trails the profile store: the indexer's IteratorAge, the age of the last
   * record of each batch when it was handed to the function, in milliseconds (Maximum). The
   * indexer also reports `MembershipIndexLag` (the age of each batch's oldest record, after
   * it was written) in the service's Powertools namespace.
   */
  public metricLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metric('IteratorAge', { statistic: 'Maximum', ...props });
  }
}

/** Refuses a profile table without the stream the membership index is maintained from. */
function requireProfileTableStream(profileTable: dynamodb.ITable): void {
  if (!profileTable.tableStreamArn) {
    throw new Error(
      'profileTable must have a NEW_AND_OLD_IMAGES stream (the membership index is maintained from it): import it with its tableStreamArn (see ProfileStore)',
    );
  }
}
