import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledgements';
import { privateBucketProps } from './private-bucket';

export interface ExportBucketProps {
  /** @default RemovalPolicy.RETAIN - exported batches outlive the stack */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Customer-managed KMS key for the exported data.
   * @default - S3-managed encryption (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Bucket that receives the server access logs of the export bucket.
   * @default - a new bucket, private and TLS only, that keeps the logs 90 days
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/**
 * The bucket the export batches are written to: private, TLS only, encrypted (a KMS key prop),
 * its server access logged, and incomplete multipart uploads of a cancelled or failed export
 * cleaned up after a day.
 */
export class ExportBucket extends Construct {
  public readonly bucket: s3.Bucket;
  /** The bucket of the server access logs, when this construct created it. */
  public readonly accessLogsBucket?: s3.Bucket;

  constructor(scope: Construct, id: string, props: ExportBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    let serverAccessLogsBucket = props.serverAccessLogsBucket;
    if (!serverAccessLogsBucket) {
      this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        // Server access log delivery writes with S3-managed keys only; object ownership is left
        // to CDK, which picks what log delivery needs (ACL or bucket policy, by feature flag).
        encryption: s3.BucketEncryption.S3_MANAGED,
        lifecycleRules: [{ id: 'ExpireLogs', expiration: Duration.days(90) }],
        removalPolicy,
      });
      acknowledge(
        this.accessLogsBucket,
        'AwsSolutions-S1',
        "This bucket is the destination of the export bucket's access logs.",
      );
      serverAccessLogsBucket = this.accessLogsBucket;
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucketProps(props.encryptionKey),
      serverAccessLogsBucket,
      serverAccessLogsPrefix: 'export-bucket/',
      lifecycleRules: [
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
    });
  }
}
