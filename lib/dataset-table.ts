import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { hardenedTableProps } from './table-hardening';
import { DATASET_TABLE } from '../lambda/contract/dataset-table';

export interface DatasetTableProps {
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN - datasets outlive the stack, as their batches do
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Customer-managed KMS key that encrypts the table.
   * @default - an AWS-managed key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The DynamoDB table that holds the datasets of the catalog (`/dataSets`), keyed by tenant and
 * dataset id. Ids sort by creation time, so a list page, newest first, is one Query on the
 * table itself: no index.
 *
 * To bring your own table, create it with this construct (in any stack) and pass `datasetTable`
 * to ExportJobsService, or import one with the same key schema (`pk`, `sk`, both strings) via
 * `Table.fromTableAttributes`.
 */
export class DatasetTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DatasetTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: DATASET_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: DATASET_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      ...hardenedTableProps(props.encryptionKey, props.removalPolicy ?? RemovalPolicy.RETAIN),
    });
  }
}
