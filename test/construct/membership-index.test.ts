import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DEFAULT_PROFILE_STORE_SHARDS, UPDATE_TIME_INDEX } from '../../lambda/contract/profile-store';
import { synthService } from './support/synth';

const logicalIdOf = (template: ReturnType<typeof synthService>['template'], prefix: string) =>
  Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) => id.startsWith(prefix))!;

describe('membership index and update-time index', () => {
  const { template, service } = synthService();

  it('GIVEN the default service WHEN synthesized THEN the profile table streams both images and has a keys-only index by update time', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: [
        {
          IndexName: UPDATE_TIME_INDEX.indexName,
          KeySchema: [
            { AttributeName: UPDATE_TIME_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: UPDATE_TIME_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: UPDATE_TIME_INDEX.sortKey, AttributeType: 'N' }]),
    });
  });

  it('GIVEN the default service WHEN synthesized THEN the indexer reads the profile table stream in bisected batches, its failures going to the dead-letter queue', () => {
    const profileTable = logicalIdOf(template, 'ExportJobsProfileStoreProfileTable');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [profileTable, 'StreamArn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^ExportJobsMembershipIndexIndexMembershipsFunction') },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MEMBERSHIP_INDEX_TABLE_NAME: { Ref: logicalIdOf(template, 'ExportJobsMembershipIndexTable') },
        }),
      },
    });
  });

  it('GIVEN the default service WHEN synthesized THEN the export worker may query the update-time index and no other index of the profile table', () => {
    const profileTable = logicalIdOf(template, 'ExportJobsProfileStoreProfileTable');
    const policies = template.findResources('AWS::IAM::Policy');
    const [, worker] = Object.entries(policies).find(([id]) =>
      id.startsWith('ExportJobsWorkflowExportShardFunctionRole'),
    )!;
    const indexResources = JSON.stringify(worker.Properties.PolicyDocument.Statement).match(/\/index\/[^"]*/g);
    expect(indexResources).toEqual([`/index/${UPDATE_TIME_INDEX.indexName}`]);
    expect(JSON.stringify(worker.Properties.PolicyDocument.Statement)).toContain(profileTable);
  });

  it('GIVEN profileStoreShards WHEN synthesized THEN the planner is told it (the bucket count of a tenant without a store layout) and the service exposes it', () => {
    const { template: sharded, service: shardedService } = synthService({ profileStoreShards: 128 });
    sharded.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Export workflow: plan the shards',
      Environment: { Variables: Match.objectLike({ PROFILE_STORE_SHARDS: '128' }) },
    });
    expect(shardedService.profileStoreShards).toBe(128);
    expect(service.profileStoreShards).toBe(DEFAULT_PROFILE_STORE_SHARDS);
  });

  it('GIVEN the service WHEN its index lag metric is asked for THEN it is the indexer’s IteratorAge (Maximum)', () => {
    const metric = service.membershipIndex.metricLag();
    expect(metric.metricName).toBe('IteratorAge');
    expect(metric.statistic).toBe('Maximum');
  });

  it('GIVEN a brought profile table without a stream WHEN the service is created THEN it is refused, naming the prop', () => {
    expect(() =>
      synthService({}, (stack) => ({
        profileTable: dynamodb.Table.fromTableName(stack, 'Profiles', 'existing-profiles'),
        eventTable: dynamodb.Table.fromTableName(stack, 'Events', 'existing-events'),
      })),
    ).toThrow(/profileTable must have a NEW_AND_OLD_IMAGES stream/);
  });

  it('GIVEN a brought profile table with its stream WHEN synthesized THEN the indexer reads that stream', () => {
    const streamArn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/existing-profiles/stream/2026-01-01T00:00:00.000';
    const { template: brought } = synthService({}, (stack) => ({
      profileTable: dynamodb.Table.fromTableAttributes(stack, 'Profiles', {
        tableName: 'existing-profiles',
        tableStreamArn: streamArn,
        globalIndexes: [UPDATE_TIME_INDEX.indexName],
      }),
      eventTable: dynamodb.Table.fromTableName(stack, 'Events', 'existing-events'),
    }));
    brought.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: streamArn });
  });
});
