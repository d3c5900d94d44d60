import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { hardenedTableProps } from './table-hardening';

export interface IdempotencyTableProps {
  /** @default RemovalPolicy.DESTROY - its records expire after a day anyway */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - an AWS-managed key */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The table in which Powertools for AWS Lambda keeps Idempotency-Key records (key `id`,
 * expiry `expiration`, the layout its DynamoDBPersistenceLayer expects). DynamoDB's TTL deletes
 * expired records.
 */
export class IdempotencyTable extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: IdempotencyTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      ...hardenedTableProps(props.encryptionKey, props.removalPolicy ?? RemovalPolicy.DESTROY),
    });
  }
}
