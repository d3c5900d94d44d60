import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PROFILE_STORE, UPDATE_TIME_INDEX } from '../lambda/contract/profile-store';
import { hardenedTableProps } from './table-hardening';

export interface ProfileStoreProps {
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - AWS-managed keys */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The profile store the exports read: a profile table (one item per profile holding its
 * fragments, one per source dataset, which an export merges by the job's merge policy) and an
 * event table (their ExperienceEvents), both keyed `pk` = `<tenant>#<bucket>`, `sk` = profile id
 * (events: `<profileId>#<ingestTime>#<eventId>`). The layout, and how an item of the layout
 * before fragments is read, is described in lambda/contract/profile-store.ts and the README
 * ("The profile store"); a profile's fragments must fit one 400 KB item. Bring your own tables
 * in that layout through
 * ExportJobsService's `profileTable` and `eventTable` props. The profile table has a
 * NEW_AND_OLD_IMAGES stream (the membership index is maintained from it) and a keys-only index
 * `byUpdateTime` (`pk`, `mergedUpdateTime` as a number) that incremental exports query: a
 * profile table you bring needs both.
 */
export class ProfileStore extends Construct {
  public readonly profileTable: dynamodb.Table;
  public readonly eventTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ProfileStoreProps = {}) {
    super(scope, id);
    const keys = {
      partitionKey: { name: PROFILE_STORE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: PROFILE_STORE.sortKey, type: dynamodb.AttributeType.STRING },
    };
    const hardening = hardenedTableProps(props.encryptionKey, props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.profileTable = new dynamodb.Table(this, 'ProfileTable', {
      ...keys,
      ...hardening,
      // The membership index is maintained from this stream (see MembershipIndex).
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    });
    // Incremental exports read the profiles updated after an instant from this index.
    this.profileTable.addGlobalSecondaryIndex({
      indexName: UPDATE_TIME_INDEX.indexName,
      partitionKey: { name: UPDATE_TIME_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: UPDATE_TIME_INDEX.sortKey, type: dynamodb.AttributeType.NUMBER },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.eventTable = new dynamodb.Table(this, 'EventTable', { ...keys, ...hardening });
  }
}
