import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every data bucket of the service is: no public access, TLS 1.2+ only, owner-enforced
 * objects, and encrypted with the customer-managed key when one is given (with an S3 Bucket Key,
 * fewer KMS calls), else with S3-managed keys.
 */
export function privateBucketProps(encryptionKey?: kms.IKey): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey,
    bucketKeyEnabled: encryptionKey ? true : undefined,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  };
}
