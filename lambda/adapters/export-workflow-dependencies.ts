import { dynamoDb } from './aws-clients';
import { DynamoDbConfigStore } from './config-store/dynamodb-config-store';
import type { SegmentDefinitionRepository } from '../domain/config/ports';
import { DynamoDbProfileShardSource } from './dynamodb-profile-shard-source';
import { DynamoDbStoreLayouts } from './dynamodb-store-layout';
import { ENVIRONMENT } from '../contract/environment';
import { requiredEnv } from './required-env';
import { S3ManifestStore } from './s3-manifest-store';
import { S3PartStore } from './s3-part-store';
import { s3Client } from './s3-client';

/** What the export workflow's functions share, created once per execution environment. */
export function exportBucketName(): string {
  return requiredEnv(ENVIRONMENT.exportBucketName);
}

export function profileShardSource(): DynamoDbProfileShardSource {
  return new DynamoDbProfileShardSource(
    dynamoDb,
    {
      profiles: requiredEnv(ENVIRONMENT.profileTableName),
      events: requiredEnv(ENVIRONMENT.eventTableName),
      membershipIndex: process.env[ENVIRONMENT.membershipIndexTableName],
    },
    Number(process.env[ENVIRONMENT.exportPageSize] ?? 500),
  );
}

export function storeLayouts(): DynamoDbStoreLayouts {
  return new DynamoDbStoreLayouts(dynamoDb, requiredEnv(ENVIRONMENT.profileTableName));
}

export function partStore(): S3PartStore {
  return new S3PartStore(s3Client, exportBucketName(), Number(process.env[ENVIRONMENT.exportGzipLevel] ?? 1));
}

export function manifestStore(): S3ManifestStore {
  return new S3ManifestStore(s3Client, exportBucketName());
}

/** The tenant's segment definitions, when the workflow was given the config table. */
export function segmentDefinitions(): SegmentDefinitionRepository | undefined {
  const table = process.env[ENVIRONMENT.configTableName];
  return table ? new DynamoDbConfigStore(dynamoDb, table).segmentDefinitions : undefined;
}
