import { RemovalPolicy, Stack, type App } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { stageSettings } from '../../../bin/stages';
import { ExportJobsService } from '../../../lib/export-jobs-service';

/**
 * The local stage's service with customer managed keys everywhere a key prop reaches: the
 * service's key (tables, dead-letter queue) and an export bucket the stack brings, encrypted
 * with a key of its own. The stack the IAM-simulation tests check.
 */
export function addKmsServiceStack(app: App, stackName = 'ExportJobsKms'): Stack {
  const stack = new Stack(app, stackName);
  const bucketKey = new kms.Key(stack, 'BucketKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  const exportBucket = new s3.Bucket(stack, 'Exports', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: bucketKey,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new ExportJobsService(stack, 'ExportJobs', {
    ...stageSettings('local', { devIssuerJwksUri: app.node.tryGetContext('devIssuerJwksUri') }),
    encryptionKey: new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY }),
    exportBucket,
  });
  return stack;
}
