import { createHash } from 'node:crypto';
import { batchFileKey, MANIFEST_FILE_NAME, manifestKey } from '../../contract/batch-layout';
import {
  DATA_SET_FILE_VERSION,
  DOWNLOAD_URL_TTL_SECONDS,
  type BatchFileList,
  type DataSetFileDetail,
  type DownloadableFile,
} from '../../contract/batch-files';
import type { Tenant } from '../../contract/tenant';
import { BatchIncompleteError, BatchNotFoundError, FileNotFoundError } from '../errors';
import type { BatchManifest } from '../export/manifest';
import type { DataSetFileRef } from './data-set-file-id';
import { encodeDataSetFileId } from './data-set-file-id';
import type { BatchDirectory, BatchFileStore, BatchRef } from './ports';

export interface ReadBatchDependencies {
  readonly batches: BatchDirectory;
  readonly files: BatchFileStore;
}

type ManifestPart = BatchManifest['parts'][number];

/** A complete batch of the tenant: the one way every read of a batch starts. */
interface CompleteBatch {
  readonly batch: BatchRef;
  readonly manifest: Pick<BatchManifest, 'parts' | 'createdAt'>;
  readonly manifestBytes: Buffer;
}

/**
 * The batch, provided it belongs to the tenant (404 otherwise: another tenant's batch is as
 * unknown as a made-up one) and is complete, its manifest written (409 otherwise, saying why).
 */
async function completeBatch(
  dependencies: ReadBatchDependencies,
  tenant: Tenant,
  batchId: string,
  pathOfBatch: string,
): Promise<CompleteBatch> {
  const batch = await dependencies.batches.findBatch(tenant, batchId);
  if (!batch) throw new BatchNotFoundError(batchId, pathOfBatch);
  const manifestBytes = await dependencies.files.readManifest(manifestKey(tenant, batch.datasetId, batchId));
  if (manifestBytes) return { batch, manifest: JSON.parse(manifestBytes.toString('utf8')), manifestBytes };
  throw new BatchIncompleteError(await whyIncomplete(dependencies, tenant, batch), [
    { path: pathOfBatch, code: 'batch_incomplete', message: 'the batch has no manifest: it is not complete' },
  ]);
}

async function whyIncomplete(dependencies: ReadBatchDependencies, tenant: Tenant, batch: BatchRef): Promise<string> {
  const job = await dependencies.batches.get(tenant, batch.jobId);
  const subject = `Batch ${batch.batchId} of export job ${batch.jobId}`;
  if (!job) return `${subject} is not complete, and its job was deleted before it was: it never will be.`;
  if (job.status === 'FAILED' || job.status === 'CANCELLED') {
    return `${subject} is not complete and never will be: the job ended ${job.status}.`;
  }
  return `${subject} is not complete yet: the job is ${job.status}. Retry once it has SUCCEEDED.`;
}

/** GET /export/batches/{batchId}/files: one dataset file per part of a complete batch. */
export async function listBatchFiles(
  dependencies: ReadBatchDependencies,
  tenant: Tenant,
  batchId: string,
  apiRoot: string,
): Promise<BatchFileList> {
  const { batch, manifest } = await completeBatch(dependencies, tenant, batchId, '/batchId');
  const created = Date.parse(manifest.createdAt);
  const data = manifest.parts.map((part) => {
    const dataSetFileId = encodeDataSetFileId({ batchId, fileName: part.file });
    return {
      dataSetFileId,
      dataSetViewId: batch.datasetId,
      version: DATA_SET_FILE_VERSION,
      created,
      updated: created,
      isValid: true,
      records: part.records,
      length: part.bytes,
      _links: { self: { href: fileHref(apiRoot, dataSetFileId) } },
    };
  });
  return { data, _page: { limit: data.length, count: data.length } };
}

/** GET /export/files/{dataSetFileId}: the part file and its batch's manifest, each with its download link. */
export async function describeDataSetFile(
  dependencies: ReadBatchDependencies,
  tenant: Tenant,
  file: DataSetFileRef,
  apiRoot: string,
): Promise<DataSetFileDetail> {
  const { manifest, manifestBytes } = await completeBatch(dependencies, tenant, file.batchId, '/dataSetFileId');
  const part = partOf(manifest.parts, file);
  const href = (name: string) => `${fileHref(apiRoot, encodeDataSetFileId(file))}?path=${encodeURIComponent(name)}`;
  const entries: DownloadableFile[] = [
    {
      name: part.file,
      length: part.bytes,
      records: part.records,
      checksum: { algorithm: 'sha256', value: part.sha256 },
      _links: { self: { href: href(part.file) } },
    },
    {
      name: MANIFEST_FILE_NAME,
      length: manifestBytes.length,
      checksum: { algorithm: 'sha256', value: createHash('sha256').update(manifestBytes).digest('hex') },
      _links: { self: { href: href(MANIFEST_FILE_NAME) } },
    },
  ];
  return { data: entries };
}

/**
 * GET /export/files/{dataSetFileId}?path=<name>: a presigned URL of the part or the manifest,
 * valid DOWNLOAD_URL_TTL_SECONDS; the client fetches the bytes from S3 itself.
 */
export async function downloadUrl(
  dependencies: ReadBatchDependencies,
  tenant: Tenant,
  file: DataSetFileRef,
  name: string,
): Promise<string> {
  const { batch, manifest } = await completeBatch(dependencies, tenant, file.batchId, '/dataSetFileId');
  partOf(manifest.parts, file);
  if (name !== file.fileName && name !== MANIFEST_FILE_NAME) {
    throw new FileNotFoundError(`The dataset file holds no file named ${name}.`, [
      { path: '/path', code: 'not_found', message: `must be ${file.fileName} or ${MANIFEST_FILE_NAME}` },
    ]);
  }
  const key = batchFileKey(tenant, batch.datasetId, batch.batchId, name);
  return dependencies.files.presignedGetUrl(key, DOWNLOAD_URL_TTL_SECONDS);
}

function partOf(parts: readonly ManifestPart[], file: DataSetFileRef): ManifestPart {
  const part = parts.find((candidate) => candidate.file === file.fileName);
  if (!part) {
    throw new FileNotFoundError(`Batch ${file.batchId} holds no file ${file.fileName}.`, [
      { path: '/dataSetFileId', code: 'not_found', message: 'no such file in the batch' },
    ]);
  }
  return part;
}

function fileHref(apiRoot: string, dataSetFileId: string): string {
  return `${apiRoot}/export/files/${dataSetFileId}`;
}
