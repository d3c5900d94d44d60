import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CONFIG_TABLE } from '../lambda/contract/config-table';
import { hardenedTableProps } from './table-hardening';

export interface ConfigTableProps {
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN - a tenant's merge policies and segment definitions outlive the stack
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Customer-managed KMS key that encrypts the table.
   * @default - an AWS-managed key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The DynamoDB table of each tenant's configuration: its merge policies (with the marker of its
 * default policy per schema) and its segment definitions, keyed `pk` (the tenant) and `sk` (the
 * kind and id). No index: every read is one tenant's items, by key or by sort-key prefix.
 *
 * To bring your own table, create it with this construct (in any stack) and pass `table` to
 * ExportJobsService as `configTable`, or import one with the same keys.
 */
export class ConfigTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ConfigTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: CONFIG_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: CONFIG_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      ...hardenedTableProps(props.encryptionKey, props.removalPolicy ?? RemovalPolicy.RETAIN),
    });
  }
}
