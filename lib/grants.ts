import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcards } from './acknowledgements';

/**
 * Grants `actions` on a table (and on the named indexes only, when given), plus what its KMS key
 * needs: narrower than ITable.grant, which adds `index/*` for every action.
 */
export function grantTable(
  grantee: iam.IGrantable,
  table: dynamodb.ITable,
  actions: string[],
  options: { readonly indexes?: readonly string[]; readonly writes?: boolean } = {},
): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions,
    resourceArns: [table.tableArn, ...(options.indexes ?? []).map((index) => `${table.tableArn}/index/${index}`)],
  });
  if (!table.encryptionKey) return;
  if (options.writes) grantKeyUse(grantee, table.encryptionKey, (key) => key.grantEncryptDecrypt(grantee));
  else table.encryptionKey.grantDecrypt(grantee);
}

/**
 * KMS's own grants for writing through a customer-managed key name action families
 * (kms:GenerateDataKey*, kms:ReEncrypt*) on that one key: acknowledged on the grantee's role.
 */
function grantKeyUse(grantee: iam.IGrantable, key: kms.IKey, grant: (key: kms.IKey) => void): void {
  grant(key);
  acknowledgeKeyWrites(grantee);
}

/** Acknowledges the KMS action families of writing through a customer-managed key (see grantKeyUse). */
export function acknowledgeKeyWrites(grantee: iam.IGrantable): void {
  const principal = grantee.grantPrincipal;
  if (principal instanceof Construct) {
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      acknowledge(
        principal,
        `AwsSolutions-IAM5[Action::${action}]`,
        'The data-key and re-encryption actions KMS needs to write with the customer-managed key, on that key only.',
      );
    }
  }
}

/**
 * What S3 asks of the writer's principal on the bucket's KMS key (SSE-KMS): a PutObject
 * generates a data key; a multipart upload (lib-storage, past one 5 MiB part) also decrypts
 * that data key again for each part and for CompleteMultipartUpload.
 */
export const SSE_KMS_ACTIONS = {
  put: ['kms:GenerateDataKey'],
  multipart: ['kms:GenerateDataKey', 'kms:Decrypt'],
} as const;

/**
 * Lets `grantee` write (and abort the multipart uploads of) objects whose keys match
 * `keyPattern`, nothing else: narrower than IBucket.grantPut, which adds `s3:Abort*`. When the
 * bucket has a customer-managed key, the grantee may use it as S3 needs for such writes, by
 * exact action names on that one key (no action families to acknowledge).
 */
export function grantObjectWrites(
  grantee: iam.IGrantable,
  bucket: s3.IBucket,
  keyPattern: string,
  options: { readonly multipart?: boolean } = {},
): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
    resourceArns: [bucket.arnForObjects(keyPattern)],
  });
  if (bucket.encryptionKey) {
    bucket.encryptionKey.grant(grantee, ...(options.multipart ? SSE_KMS_ACTIONS.multipart : SSE_KMS_ACTIONS.put));
  }
}

/**
 * Lets `grantee` delete the objects whose keys match `keyPatterns` and, with `list`, list the
 * bucket to find them (batch keys begin with the tenant's folder: no fixed prefix narrows it).
 */
export function grantObjectDeletes(
  grantee: iam.IGrantable,
  bucket: s3.IBucket,
  keyPatterns: readonly string[],
  options: { readonly list?: boolean } = {},
): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['s3:DeleteObject'],
    resourceArns: keyPatterns.map((pattern) => bucket.arnForObjects(pattern)),
  });
  if (options.list) {
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
  }
}

/** Acknowledges the batch-file patterns granted to `grantee` on the export bucket (IAM5). */
export function acknowledgeBatchFilePatterns(
  grantee: iam.IGrantable,
  bucket: s3.IBucket,
  patterns: readonly string[],
): void {
  const principal = grantee.grantPrincipal;
  if (!(principal instanceof Construct)) return;
  acknowledgeWildcards(
    principal,
    patterns.map((pattern) => bucket.arnForObjects(pattern)),
    'Object keys of batches, <org>/<sandbox>/datasets/<datasetId>/batches/<batchId>/, are per job: the narrowest grant is by file pattern.',
  );
}

/**
 * Lets `grantee` read the objects whose keys match `keyPatterns` (and decrypt them with the
 * bucket's customer-managed key): what the read API needs to read manifests and to presign
 * downloads, since a presigned URL carries its signer's permissions. Narrower than
 * IBucket.grantRead, which adds s3:GetBucket* and s3:List*.
 */
export function grantObjectReads(grantee: iam.IGrantable, bucket: s3.IBucket, keyPatterns: readonly string[]): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['s3:GetObject'],
    resourceArns: keyPatterns.map((pattern) => bucket.arnForObjects(pattern)),
  });
  bucket.encryptionKey?.grantDecrypt(grantee);
  acknowledgeBatchFilePatterns(grantee, bucket, keyPatterns);
}
