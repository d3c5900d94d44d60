import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as StreamAttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { dynamoDb } from '../adapters/aws-clients';
import { DynamoDbMembershipIndex } from '../adapters/dynamodb-membership-index';
import { requiredEnv } from '../adapters/required-env';
import { ENVIRONMENT } from '../contract/environment';
import { fromProfileItem } from '../contract/profile-store';
import { membershipIndexWrites, type ProfileItemChange } from '../domain/membership-index/membership-changes';
import { logger, metrics, withPowertools } from '../observability/powertools';

const index = new DynamoDbMembershipIndex(dynamoDb, requiredEnv(ENVIRONMENT.membershipIndexTableName));

/** The metric of how far the index is behind the profile store (the oldest record of a batch). */
export const MEMBERSHIP_INDEX_LAG_METRIC = 'MembershipIndexLag';

function profileOf(image: Record<string, StreamAttributeValue> | undefined) {
  if (!image) return undefined;
  return unmarshall(image as Record<string, AttributeValue>) as { pk: string; sk: string };
}

function changeOf(record: DynamoDBRecord): ProfileItemChange | undefined {
  const before = profileOf(record.dynamodb?.OldImage);
  const after = profileOf(record.dynamodb?.NewImage);
  const item = after ?? before;
  if (!item) return undefined;
  return {
    pk: item.pk,
    profileId: item.sk,
    // Either layout (fragments, or a profile of before them) is read as fragments.
    oldFragments: before && fromProfileItem(before).fragments,
    newFragments: after && fromProfileItem(after).fragments,
  };
}

/**
 * Keeps the membership index in step with the profile table, from its stream (NEW_AND_OLD_IMAGES):
 * each batch's membership changes become puts and deletes of index items. Writes are idempotent
 * and derived from the images alone, so a batch that fails is retried whole (bisected) without
 * harm. The age of the batch's oldest record is the index's lag behind the store.
 */
export const handler = withPowertools(async (event: DynamoDBStreamEvent): Promise<void> => {
  const changes = event.Records.map(changeOf).filter((change): change is ProfileItemChange => !!change);
  const writes = membershipIndexWrites(changes);
  await index.apply(writes);
  const oldest = Math.min(...event.Records.map((record) => record.dynamodb?.ApproximateCreationDateTime ?? Infinity));
  if (Number.isFinite(oldest))
    metrics.addMetric(MEMBERSHIP_INDEX_LAG_METRIC, MetricUnit.Milliseconds, Math.max(0, Date.now() - oldest * 1000));
  logger.debug('Membership index updated', { records: event.Records.length, writes: writes.length });
});
