import { encodePathSegment } from './batch-layout';
import { DATASET_ID_PATTERN } from './dataset';
import type { Tenant } from './tenant';

/**
 * What the construct and the finalizer agree on for SQL over the exported datasets: which
 * catalog the finalizer registers complete batches in, the table of a dataset, its partition
 * column, and where the finalizer keeps the list of a batch's part files that the table reads.
 */

/**
 * `glue`: the finalizer creates the dataset's Glue table and adds each complete batch as a
 * partition. `none`: no catalog (the construct's `query.enabled` is false, as in the local
 * stage, which has no Glue): the finalizer registers nothing and says so in its log.
 */
export const QUERY_CATALOGS = ['glue', 'none'] as const;
export type QueryCatalogKind = (typeof QUERY_CATALOGS)[number];

/** The partition column of every dataset table: one partition per complete batch. */
export const PARTITION_COLUMN = 'batchid';

/** The prefix of every dataset table's name: `dataset_<datasetId>`. */
export const DATASET_TABLE_PREFIX = 'dataset_';

/**
 * The service's dataset ids (DATASET_ID_PATTERN: 24 lowercase hex characters, random, unique
 * across tenants) name a table as they are: Glue and Athena names are lowercase letters, digits
 * and underscores. A job of before datasets, whose `datasetId` was any string, gets no table
 * rather than a mangled name that could collide with another's.
 */
const TABLE_SAFE_DATASET_ID = new RegExp(DATASET_ID_PATTERN);

/** `dataset_<datasetId>`, or undefined when the id cannot name a table (see above). */
export function datasetTableName(datasetId: string): string | undefined {
  return TABLE_SAFE_DATASET_ID.test(datasetId) ? `${DATASET_TABLE_PREFIX}${datasetId}` : undefined;
}

/**
 * A batch folder holds its part files and `manifest.json`, and Athena reads every object under
 * a partition's location: the manifest would be read as data. So a partition's location is a
 * folder of its own holding one "symlink" file that lists the batch's part files (as the
 * manifest does, written after it), read through Hive's SymlinkTextInputFormat:
 *
 *   <org>/<sandbox>/datasets/<datasetId>/_symlinks/                       (the table's location)
 *   <org>/<sandbox>/datasets/<datasetId>/_symlinks/batchid=<batchId>/symlink.txt
 *
 * It stays under the tenant's and the dataset's folder, beside `batches/`.
 */
const SYMLINK_FOLDER = '_symlinks';
const SYMLINK_FILE_NAME = 'symlink.txt';

function datasetFolder(segments: { org: string; sandbox: string; datasetId: string }): string {
  return `${segments.org}/${segments.sandbox}/datasets/${segments.datasetId}/`;
}

/** The location of a dataset's table: the folder of its partitions' symlink folders. */
export function datasetTablePrefix(tenant: Tenant, datasetId: string): string {
  const folder = datasetFolder({
    org: encodePathSegment(tenant.orgId),
    sandbox: encodePathSegment(tenant.sandboxName),
    datasetId: encodePathSegment(datasetId),
  });
  return `${folder}${SYMLINK_FOLDER}/`;
}

/** The location of a batch's partition. */
export function batchPartitionPrefix(tenant: Tenant, datasetId: string, batchId: string): string {
  return `${datasetTablePrefix(tenant, datasetId)}${PARTITION_COLUMN}=${encodePathSegment(batchId)}/`;
}

/** The key of a batch's symlink file. */
export function batchSymlinkKey(tenant: Tenant, datasetId: string, batchId: string): string {
  return `${batchPartitionPrefix(tenant, datasetId, batchId)}${SYMLINK_FILE_NAME}`;
}

/** Object-key pattern (IAM wildcard) of every symlink file: what the finalizer may write. */
export const SYMLINK_OBJECT_PATTERN = `${datasetFolder({ org: '*', sandbox: '*', datasetId: '*' })}${SYMLINK_FOLDER}/*/${SYMLINK_FILE_NAME}`;
