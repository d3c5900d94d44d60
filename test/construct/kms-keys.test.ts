import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExportJobsService, type ExportJobsServiceProps } from '../../lib/export-jobs-service';

const ENV = { account: '123456789012', region: 'eu-west-1' };

/** A stack whose export bucket is its own, encrypted with a key of its own; the service brings no key. */
function stackWithOwnBucketKey(app = new App()) {
  const stack = new Stack(app, 'OwnBucketKey', { env: ENV });
  const bucketKey = new kms.Key(stack, 'BucketKey', { enableKeyRotation: true });
  const exportBucket = new s3.Bucket(stack, 'Exports', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: bucketKey,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsPrefix: 'access/',
  });
  new ExportJobsService(stack, 'ExportJobs', { exportBucket });
  return { app, stack, bucketKeyId: stack.getLogicalId(bucketKey.node.defaultChild as kms.CfnKey) };
}

/** The KMS actions each function role may take on one key, by role logical id prefix (ExportJobs<construct>). */
function kmsActionsOnKey(template: Template, keyLogicalId: string): Record<string, string[]> {
  const byRole: Record<string, string[]> = {};
  for (const [policyId, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      const actions = [statement.Action].flat().filter((action: string) => action.startsWith('kms:'));
      if (actions.length === 0 || !JSON.stringify(statement.Resource).includes(`"${keyLogicalId}"`)) continue;
      const role = policyId.replace(/^ExportJobs|Role\w*$/g, '');
      byRole[role] = [...new Set([...(byRole[role] ?? []), ...actions])].sort();
    }
  }
  return byRole;
}

describe('KMS keys', () => {
  it('GIVEN an export bucket brought with its own KMS key WHEN synthesized THEN the shard worker may generate and decrypt data keys with it (multipart part files) the finalizer may generate them (manifests) and the read functions may decrypt (manifests, downloads), nobody else', () => {
    const { stack, bucketKeyId } = stackWithOwnBucketKey();
    const template = Template.fromStack(stack);
    expect(kmsActionsOnKey(template, bucketKeyId)).toEqual({
      ApiGetDataSetFileFunction: ['kms:Decrypt'],
      ApiListBatchFilesFunction: ['kms:Decrypt'],
      WorkflowExportShardFunction: ['kms:Decrypt', 'kms:GenerateDataKey'],
      WorkflowFinalizeExportFunction: ['kms:GenerateDataKey'],
    });
  });

  it('GIVEN an export bucket brought with its own KMS key WHEN checked by cdk-nag THEN nothing is unacknowledged', () => {
    const app = new App();
    stackWithOwnBucketKey(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('GIVEN the service key WHEN synthesized THEN the key policy lets EventBridge encrypt for the watcher rule only, the rule whose dead letters go to the queue encrypted with that key', () => {
    const stack = new Stack(new App(), 'ServiceKey', { env: ENV });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const service = new ExportJobsService(stack, 'ExportJobs', { encryptionKey: key });
    const template = Template.fromStack(stack);
    const [watcherRule] = Object.values(
      template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.states'] } } }),
    );
    const ruleName: string = watcherRule.Properties.Name;
    expect(ruleName).toMatch(/^ServiceKey-ExportJobs-ExecutionWatcher-[0-9A-F]{8}$/);
    const [keyResource] = Object.values(template.findResources('AWS::KMS::Key'));
    const statement = keyResource.Properties.KeyPolicy.Statement.find(
      (candidate: { Sid?: string }) => candidate.Sid === 'EventBridgeRuleToDeadLetterQueue',
    );
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
    });
    expect(stack.resolve(statement.Condition)).toEqual({
      ArnEquals: {
        'aws:SourceArn': {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:eu-west-1:123456789012:rule/${ruleName}`]],
        },
      },
    });
    const queueId = stack.getLogicalId(service.deadLetterQueue.node.defaultChild as sqs.CfnQueue);
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: ruleName,
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } })],
    });
  });

  it('GIVEN a service key imported from elsewhere WHEN synthesized THEN the deployer is warned which key-policy statement EventBridge needs', () => {
    const stack = new Stack(new App(), 'ImportedKey', { env: ENV });
    const props: ExportJobsServiceProps = {
      encryptionKey: kms.Key.fromKeyArn(
        stack,
        'Key',
        'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      ),
    };
    new ExportJobsService(stack, 'ExportJobs', props);
    Annotations.fromStack(stack).hasWarning(
      '/ImportedKey/ExportJobs/ExecutionWatcher/Rule',
      Match.stringLikeRegexp('events.amazonaws.com kms:GenerateDataKey and kms:Decrypt'),
    );
  });
});
