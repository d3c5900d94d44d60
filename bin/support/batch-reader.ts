import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_FILE_NAME, batchPrefix } from '../../lambda/contract/batch-layout';
import { PART_FILE_EXTENSIONS } from '../../lambda/contract/file-format';
import type { BatchManifest } from '../../lambda/domain/export/manifest';
import type { Tenant } from '../../lambda/contract/tenant';
import { LOCAL_CREDENTIALS } from '../../local/local-network';
import { readParquetRecords } from './parquet-reader';

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
 * Parquet parts are read with DuckDB, a reader independent of the export's writer.
 */
export async function readBatch(
  location: { readonly s3Endpoint: string; readonly resources: { readonly exportBucket: string } },
  tenant: Tenant,
  datasetId: string,
  batchId: string,
  options: { readonly listPageSize?: number } = {},
): Promise<ReadBatch> {
  const client = new S3Client({
    endpoint: location.s3Endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
  try {
    const prefix = batchPrefix(tenant, datasetId, batchId);
    const files: string[] = [];
    // Page after page: a listing returns at most 1,000 keys (`listPageSize` in tests).
    for await (const page of paginateListObjectsV2(
      { client, pageSize: options.listPageSize },
      { Bucket: location.resources.exportBucket, Prefix: prefix },
    )) {
      files.push(...(page.Contents ?? []).map((object) => object.Key!.slice(prefix.length)));
    }
    files.sort();
    if (!files.includes(MANIFEST_FILE_NAME)) return { files, parts: [], records: [] };
    const read = async (file: string) => {
      const object = await client.send(
        new GetObjectCommand({ Bucket: location.resources.exportBucket, Key: `${prefix}${file}` }),
      );
      return Buffer.from(await object.Body!.transformToByteArray());
    };
    const manifest = JSON.parse((await read(MANIFEST_FILE_NAME)).toString('utf8')) as BatchManifest;
    const parts: PartCheck[] = [];
    const records: unknown[] = [];
    for (const part of manifest.parts) {
      const bytes = await read(part.file);
      const partRecords = await recordsOf(part.file, bytes);
      parts.push({
        file: part.file,
        listed: { bytes: part.bytes, sha256: part.sha256, records: part.records },
        actual: {
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          records: partRecords.length,
        },
      });
      records.push(...partRecords);
    }
    return { manifest, files, parts, records };
  } finally {
    client.destroy();
  }
}

/** The records of a part file, by its format (its extension). */
async function recordsOf(file: string, bytes: Buffer): Promise<unknown[]> {
  if (file.endsWith(PART_FILE_EXTENSIONS.parquet)) return readParquetRecords(bytes);
  return gunzipSync(bytes)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
