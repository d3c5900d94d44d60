import { batchPrefix } from '../../contract/batch-layout';
import { FORMAT_OF_JOBS_WITHOUT_ONE, type FileFormat } from '../../contract/file-format';
import type { ExportExecutionInput } from '../../contract/workflow';
import {
  PARTITION_COLUMN,
  batchPartitionPrefix,
  batchSymlinkKey,
  datasetTableName,
  datasetTablePrefix,
} from '../../contract/query-catalog';
import type { Tenant } from '../../contract/tenant';
import { KNOWN_XDM_SCHEMAS, type XdmSchema } from '../../contract/xdm-schemas';
import type { ParquetColumn } from '../../contract/parquet-columns';
import { datasetColumns } from './dataset-columns';

/** A batch whose manifest is written: what the query catalog makes a partition of its dataset's table. */
export interface CompleteBatch {
  readonly tenant: Tenant;
  readonly datasetId: string;
  readonly batchId: string;
  readonly tableName: string;
  readonly format: FileFormat;
  readonly schema: XdmSchema;
  /** The object keys of the part files the manifest lists, in its order. */
  readonly partKeys: readonly string[];
}

/** Why a complete batch gets no partition (it stays readable through its manifest). */
export interface UncataloguedBatch {
  readonly datasetId: string;
  readonly batchId: string;
  readonly reason: string;
}

/** The batch as the catalog sees it, or why it cannot have a table. */
export function completeBatch(
  job: ExportExecutionInput['job'],
  batchId: string,
  partFiles: readonly string[],
): CompleteBatch | UncataloguedBatch {
  const { datasetId } = job.destination;
  const tenant = { orgId: job.imsOrgId, sandboxName: job.sandboxName };
  const tableName = datasetTableName(datasetId);
  if (!tableName)
    return { datasetId, batchId, reason: 'the dataset id cannot name a Glue table (not a dataset of the catalog)' };
  const schema = KNOWN_XDM_SCHEMAS.find((known) => known.exportName === job.schema.name);
  if (!schema) return { datasetId, batchId, reason: `no known XDM schema is exported as ${job.schema.name}` };
  const prefix = batchPrefix(tenant, datasetId, batchId);
  return {
    tenant,
    datasetId,
    batchId,
    tableName,
    format: job.destination.format ?? FORMAT_OF_JOBS_WITHOUT_ONE,
    schema,
    partKeys: partFiles.map((file) => `${prefix}${file}`),
  };
}

/** A column's type as Glue and Athena (Hive DDL) write it; JSON-text columns are strings. */
export function hiveType(column: ParquetColumn): string {
  switch (column.kind) {
    case 'struct':
      return `struct<${column.fields.map((field) => `${field.name}:${hiveType(field)}`).join(',')}>`;
    case 'list':
      return `array<${hiveType(column.element)}>`;
    case 'map':
      return `map<string,${hiveType(column.value)}>`;
    case 'int64':
      return 'bigint';
    case 'json':
      return 'string';
    default:
      return column.kind;
  }
}

/**
 * How each format is read. Every table reads its partitions through a symlink file (see
 * query-catalog.ts), so the input format is SymlinkTextInputFormat and the SerDe decodes the
 * files it lists: Parquet, or gzip JSON Lines (Athena decompresses `.gz` by extension).
 */
const SERDES: Readonly<Record<FileFormat, { library: string; parameters: Record<string, string> }>> = {
  parquet: { library: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: {} },
  // Keys match columns regardless of case (Hive lowercases column names; XDM fields are camelCase).
  json: { library: 'org.openx.data.jsonserde.JsonSerDe', parameters: { 'case.insensitive': 'TRUE' } },
};
const SYMLINK_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat';
const IGNORE_KEY_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/** The StorageDescriptor of the table and of its partitions (their location aside). */
function storageDescriptor(batch: CompleteBatch, location: string) {
  const serde = SERDES[batch.format];
  return {
    Columns: datasetColumns(batch.schema, batch.format).map((column) => ({
      Name: column.name,
      Type: hiveType(column),
    })),
    Location: location,
    InputFormat: SYMLINK_INPUT_FORMAT,
    OutputFormat: IGNORE_KEY_OUTPUT_FORMAT,
    SerdeInfo: { SerializationLibrary: serde.library, Parameters: serde.parameters },
  };
}

/** The table of the batch's dataset (Glue's TableInput), with its tenant and dataset recorded. */
export function datasetTableInput(batch: CompleteBatch, bucket: string) {
  return {
    Name: batch.tableName,
    Description: `Dataset ${batch.datasetId} of ${batch.tenant.orgId}/${batch.tenant.sandboxName} (${batch.schema.title}), one partition per complete batch`,
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      EXTERNAL: 'TRUE',
      classification: batch.format,
      datasetId: batch.datasetId,
      imsOrgId: batch.tenant.orgId,
      sandboxName: batch.tenant.sandboxName,
      schemaRef: batch.schema.id,
    },
    PartitionKeys: [{ Name: PARTITION_COLUMN, Type: 'string' }],
    StorageDescriptor: storageDescriptor(batch, tableLocation(batch, bucket)),
  };
}

/** Where the batch's dataset table lives: what an existing table of that name must say too. */
export function tableLocation(batch: Pick<CompleteBatch, 'tenant' | 'datasetId'>, bucket: string): string {
  return `s3://${bucket}/${datasetTablePrefix(batch.tenant, batch.datasetId)}`;
}

/** The batch's partition (Glue's PartitionInput). */
export function batchPartitionInput(batch: CompleteBatch, bucket: string) {
  return {
    Values: [batch.batchId],
    StorageDescriptor: storageDescriptor(
      batch,
      `s3://${bucket}/${batchPartitionPrefix(batch.tenant, batch.datasetId, batch.batchId)}`,
    ),
  };
}

/** The symlink file of the batch's partition: one `s3://` URI per part file. */
export function batchSymlinkFile(batch: CompleteBatch, bucket: string): { key: string; body: string } {
  return {
    key: batchSymlinkKey(batch.tenant, batch.datasetId, batch.batchId),
    body: batch.partKeys.map((key) => `s3://${bucket}/${key}\n`).join(''),
  };
}
