import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { batchPrefix } from '../../../lambda/domain/export/batch-layout';
import type { BatchManifest } from '../../../lambda/domain/export/manifest';
import { LOCAL_CREDENTIALS } from '../../../local/local-network';
import { localStack } from './local-stack-control';
import type { TestTenant } from './api-client';

function s3(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
}

async function getObject(client: S3Client, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export interface ReadBatch {
  readonly manifest?: BatchManifest;
  /** The files in the batch folder. */
  readonly files: string[];
  /** Every exported line of the parts the manifest lists, parsed. */
  readonly records: unknown[];
}

/**
 * Reads a batch as a consumer would: the manifest, then each part it lists, checking the
 * part's size, sha256 and record count against the manifest.
 */
export async function readBatch(
  tenant: TestTenant,
  datasetId: string,
  batchId: string,
  stack = localStack(),
): Promise<ReadBatch> {
  const client = s3(stack.s3Endpoint);
  const prefix = batchPrefix(tenant, datasetId, batchId);
  const listing = await client.send(new ListObjectsV2Command({ Bucket: stack.exportBucket, Prefix: prefix }));
  const files = (listing.Contents ?? []).map((object) => object.Key!.slice(prefix.length)).sort();
  const manifestBytes = await getObject(client, stack.exportBucket, `${prefix}manifest.json`);
  if (!manifestBytes) return { files, records: [] };
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as BatchManifest;
  const records: unknown[] = [];
  for (const part of manifest.parts) {
    const bytes = await getObject(client, stack.exportBucket, `${prefix}${part.file}`);
    if (!bytes) throw new Error(`The manifest lists ${part.file}, which is not in the batch`);
    expect({ file: part.file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }).toEqual({
      file: part.file,
      bytes: part.bytes,
      sha256: part.sha256,
    });
    const lines = gunzipSync(bytes).toString('utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(part.records);
    records.push(...lines.map((line) => JSON.parse(line)));
  }
  expect(manifest.totalRecords).toBe(records.length);
  client.destroy();
  return { manifest, files, records };
}
