import { PART_FILE_EXTENSIONS, type FileFormat } from './file-format';
import type { Tenant } from './tenant';

/**
 * Where a batch's files are in the export bucket, the one place that says so: the export
 * workers and the finalizer write there, the construct grants exactly these patterns, and
 * the tools that read batches back list them.
 *
 *   <org>/<sandbox>/datasets/<datasetId>/batches/<batchId>/part-<shard>-<sequence>.parquet (or .json.gz)
 *   <org>/<sandbox>/datasets/<datasetId>/batches/<batchId>/manifest.json   (written last)
 */

/**
 * A path segment of a batch's folder. URI encoding removes '/', and dots are encoded too, so
 * no id (such as "..") can name a folder outside its own.
 */
export function encodePathSegment(text: string): string {
  return encodeURIComponent(text).replace(/\./g, '%2E');
}

function batchFolder(segments: { org: string; sandbox: string; datasetId: string; batchId: string }): string {
  return `${segments.org}/${segments.sandbox}/datasets/${segments.datasetId}/batches/${segments.batchId}/`;
}

/** `<org>/<sandbox>/datasets/<datasetId>/batches/<batchId>/`, each segment encoded. */
export function batchPrefix(tenant: Tenant, datasetId: string, batchId: string): string {
  return batchFolder({
    org: encodePathSegment(tenant.orgId),
    sandbox: encodePathSegment(tenant.sandboxName),
    datasetId: encodePathSegment(datasetId),
    batchId: encodePathSegment(batchId),
  });
}

const PART_FILE_PREFIX = 'part-';

/**
 * Part files are named by shard and sequence, so a retried shard overwrites its own parts, and
 * end with their format's extension.
 */
export function partFileName(shard: number, sequence: number, format: FileFormat): string {
  return `${PART_FILE_PREFIX}${String(shard).padStart(4, '0')}-${String(sequence).padStart(6, '0')}${PART_FILE_EXTENSIONS[format]}`;
}

export const MANIFEST_FILE_NAME = 'manifest.json';

/** The key of a batch's manifest. */
export function manifestKey(tenant: Tenant, datasetId: string, batchId: string): string {
  return `${batchPrefix(tenant, datasetId, batchId)}${MANIFEST_FILE_NAME}`;
}

/** Object-key patterns (IAM wildcards) of every batch's files: what the workflow may write. */
const ANY_BATCH = batchFolder({ org: '*', sandbox: '*', datasetId: '*', batchId: '*' });
export const BATCH_OBJECT_PATTERNS = {
  partFiles: `${ANY_BATCH}${PART_FILE_PREFIX}*`,
  manifests: `${ANY_BATCH}${MANIFEST_FILE_NAME}`,
} as const;
