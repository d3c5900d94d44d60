import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { hardenedTableProps } from './table-hardening';
import { JOB_TABLE } from '../lambda/contract/job-table';

export interface JobTableProps {
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN - jobs outlive the stack
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Customer-managed KMS key that encrypts the table.
   * @default - an AWS-managed key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The DynamoDB table that holds export jobs, keyed by tenant, with the two sparse indexes that
 * make a list page cost O(limit): all jobs newest first, and one status newest first.
 *
 * To bring your own table, create it with this construct (in any stack) and pass `table` to
 * ExportJobsService, or import one with the same layout (a NEW_IMAGE stream, TTL on
 * `expiresAt`) via `Table.fromTableAttributes` with `globalIndexes: JobTable.INDEX_NAMES` and
 * its `tableStreamArn`.
 */
export class JobTable extends Construct {
  /** Names of the global secondary indexes the service queries. */
  static readonly INDEX_NAMES: string[] = [JOB_TABLE.byCreationTime.indexName, JOB_TABLE.byStatus.indexName];

  /** The table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: JobTableProps = {}) {
    super(scope, id);
    const string = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: string(JOB_TABLE.partitionKey),
      sortKey: string(JOB_TABLE.sortKey),
      // New jobs start their workflow from this stream; bookkeeping items expire by TTL.
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: JOB_TABLE.timeToLiveAttribute,
      ...hardenedTableProps(props.encryptionKey, props.removalPolicy ?? RemovalPolicy.RETAIN),
    });
    for (const index of [JOB_TABLE.byCreationTime, JOB_TABLE.byStatus]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
