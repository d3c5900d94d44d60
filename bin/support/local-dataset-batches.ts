import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_FILE_NAME, batchPrefix } from '../../lambda/contract/batch-layout';
import { FORMAT_OF_JOBS_WITHOUT_ONE, type FileFormat } from '../../lambda/contract/file-format';
import type { Tenant } from '../../lambda/contract/tenant';
import type { BatchManifest } from '../../lambda/domain/export/manifest';
import { LOCAL_CREDENTIALS } from '../../local/local-network';

/** A complete batch of a dataset, its part files copied to this machine. */
export interface LocalBatch {
  readonly batchId: string;
  readonly format: FileFormat;
  /** The part files its manifest lists, in its order, as local paths. */
  readonly files: readonly string[];
}

/**
 * The complete batches of a dataset in the local stack's export bucket, as Athena sees them on
 * AWS: only batches with a manifest, and only the part files each manifest lists (never a part
 * of an unfinished or abandoned attempt). Their parts are copied into `directory` through the
 * S3 API of the emulator, as any S3 client would read them.
 */
export async function downloadCompleteBatches(
  location: { readonly s3Endpoint: string; readonly resources: { readonly exportBucket: string } },
  tenant: Tenant,
  datasetId: string,
  directory: string,
): Promise<LocalBatch[]> {
  const client = new S3Client({
    endpoint: location.s3Endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
  const Bucket = location.resources.exportBucket;
  // `<tenant>/datasets/<id>/batches/`: the folder of every batch of the dataset.
  const batchesFolder = batchPrefix(tenant, datasetId, '').replace(/\/$/, '');
  try {
    const manifests: string[] = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket, Prefix: batchesFolder })) {
      for (const { Key } of page.Contents ?? []) if (Key?.endsWith(`/${MANIFEST_FILE_NAME}`)) manifests.push(Key);
    }
    const read = async (Key: string) => {
      const object = await client.send(new GetObjectCommand({ Bucket, Key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    };
    const batches: LocalBatch[] = [];
    for (const [index, key] of manifests.sort().entries()) {
      const manifest = JSON.parse((await read(key)).toString('utf8')) as BatchManifest;
      const folder = key.slice(0, -MANIFEST_FILE_NAME.length);
      const batchDirectory = path.join(directory, `batch-${index}`);
      fs.mkdirSync(batchDirectory, { recursive: true });
      const files: string[] = [];
      for (const part of manifest.parts) {
        const file = path.join(batchDirectory, path.basename(part.file));
        fs.writeFileSync(file, await read(`${folder}${part.file}`));
        files.push(file);
      }
      batches.push({ batchId: manifest.batchId, format: manifest.format ?? FORMAT_OF_JOBS_WITHOUT_ONE, files });
    }
    return batches;
  } finally {
    client.destroy();
  }
}
