import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { batchPrefix } from '../lambda/contract/batch-layout';
import type { BatchManifest } from '../lambda/domain/export/manifest';
import type { Tenant } from '../lambda/contract/tenant';
import { LOCAL_CREDENTIALS } from './local-network';

export interface PartCheck {
  readonly file: string;
  readonly listed: { readonly bytes: number; readonly sha256: string; readonly records: number };
  readonly actual: { readonly bytes: number; readonly sha256: string; readonly records: number };
}

export interface ReadBatch {
  /** Absent while the batch is incomplete (or was cancelled). */
  readonly manifest?: BatchManifest;
  /** Every file in the batch folder. */
  readonly files: string[];
  /** Each part the manifest lists, as listed and as found. */
  readonly parts: PartCheck[];
  /** Every exported profile of those parts. */
  readonly records: unknown[];
}

/**
 * Reads a batch of the export bucket as a consumer would: its manifest first, then each part it
 * lists, measuring the part's size, sha256 and record count for comparison with the manifest.
 */
export async function readBatch(
  location: { readonly s3Endpoint: string; readonly exportBucket: string },
  tenant: Tenant,
  datasetId: string,
  batchId: string,
): Promise<ReadBatch> {
  const client = new S3Client({
    endpoint: location.s3Endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
  try {
    const prefix = batchPrefix(tenant, datasetId, batchId);
    const listing = await client.send(new ListObjectsV2Command({ Bucket: location.exportBucket, Prefix: prefix }));
    const files = (listing.Contents ?? []).map((object) => object.Key!.slice(prefix.length)).sort();
    if (!files.includes('manifest.json')) return { files, parts: [], records: [] };
    const read = async (file: string) => {
      const object = await client.send(
        new GetObjectCommand({ Bucket: location.exportBucket, Key: `${prefix}${file}` }),
      );
      return Buffer.from(await object.Body!.transformToByteArray());
    };
    const manifest = JSON.parse((await read('manifest.json')).toString('utf8')) as BatchManifest;
    const parts: PartCheck[] = [];
    const records: unknown[] = [];
    for (const part of manifest.parts) {
      const bytes = await read(part.file);
      const lines = gunzipSync(bytes).toString('utf8').split('\n').filter(Boolean);
      parts.push({
        file: part.file,
        listed: { bytes: part.bytes, sha256: part.sha256, records: part.records },
        actual: {
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          records: lines.length,
        },
      });
      records.push(...lines.map((line) => JSON.parse(line)));
    }
    return { manifest, files, parts, records };
  } finally {
    client.destroy();
  }
}
