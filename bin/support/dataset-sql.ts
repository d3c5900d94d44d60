import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { FileFormat } from '../../lambda/contract/file-format';
import type { ParquetColumn } from '../../lambda/contract/parquet-columns';
import { PARTITION_COLUMN, datasetTableName } from '../../lambda/contract/query-catalog';
import type { XdmSchema } from '../../lambda/contract/xdm-schemas';
import { datasetColumns } from '../../lambda/domain/query/dataset-columns';
import type { LocalBatch } from './local-dataset-batches';

/**
 * The local stand-in for Athena: DuckDB (embedded, prebuilt from npm) with the dataset as a view
 * named as its Glue table, `dataset_<id>`, with the same columns (from the same schema) and the
 * `batchid` column, over the complete batches' part files only. So the SQL of the README runs
 * unchanged on both.
 */

/** A column's type in DuckDB; JSON-text columns are strings, as in Glue. */
export function duckDbType(column: ParquetColumn): string {
  switch (column.kind) {
    case 'struct':
      return `STRUCT(${column.fields.map((field) => `${quote(field.name)} ${duckDbType(field)}`).join(', ')})`;
    case 'list':
      return `${duckDbType(column.element)}[]`;
    case 'map':
      return `MAP(VARCHAR, ${duckDbType(column.value)})`;
    case 'int64':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'VARCHAR';
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * One batch as rows of the table. JSON Lines are read with the table's columns declared; a
 * Parquet file holds the columns its job's `fields` projected, so the others are nulls of
 * their type, as Athena reads a column a file lacks.
 */
async function batchSelect(connection: DuckDBConnection, batch: LocalBatch, columns: ParquetColumn[]): Promise<string> {
  const files = `[${batch.files.map(literal).join(', ')}]`;
  const batchId = `${literal(batch.batchId)} AS ${PARTITION_COLUMN}`;
  if (batch.format === 'json') {
    const declared = columns.map((column) => `${literal(column.name)}: ${literal(duckDbType(column))}`).join(', ');
    const source = `read_json(${files}, format = 'newline_delimited', compression = 'gzip', columns = {${declared}})`;
    return `SELECT ${columns.map((column) => quote(column.name)).join(', ')}, ${batchId} FROM ${source}`;
  }
  const source = `read_parquet(${files}, union_by_name = true)`;
  const present = new Set(
    (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`))
      .getRowObjectsJS()
      .map((row) => String(row.column_name)),
  );
  // A struct a job projected to some of its fields is cast to the whole struct by name: the
  // fields it lacks are nulls, as on Athena.
  const selected = columns.map(
    (column) =>
      `CAST(${present.has(column.name) ? quote(column.name) : 'NULL'} AS ${duckDbType(column)}) AS ${quote(column.name)}`,
  );
  return `SELECT ${selected.join(', ')}, ${batchId} FROM ${source}`;
}

export interface DatasetEngine {
  readonly tableName: string;
  /** Runs `sql`; the rows' values as JavaScript values (BIGINTs as numbers when they fit). */
  query(sql: string): Promise<{ columns: string[]; rows: Array<Record<string, unknown>> }>;
  close(): void;
}

/** An in-memory DuckDB with the view `dataset_<id>` over `batches`. */
export async function openDatasetEngine(dataset: {
  readonly datasetId: string;
  readonly schema: XdmSchema;
  readonly format: FileFormat;
  readonly batches: readonly LocalBatch[];
}): Promise<DatasetEngine> {
  const tableName = datasetTableName(dataset.datasetId);
  if (!tableName) throw new Error(`${dataset.datasetId} is not a dataset id (24 lowercase hex characters)`);
  const columns = datasetColumns(dataset.schema, dataset.format);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const mixed = dataset.batches.find((batch) => batch.format !== dataset.format);
  if (mixed)
    throw new Error(`Batch ${mixed.batchId} holds ${mixed.format} files, but the dataset is ${dataset.format}`);
  const withFiles = dataset.batches.filter((batch) => batch.files.length > 0);
  const selects = await Promise.all(withFiles.map((batch) => batchSelect(connection, batch, columns)));
  // No complete batch yet: the table exists and is empty, as on Athena.
  const empty = `SELECT ${columns.map((column) => `CAST(NULL AS ${duckDbType(column)}) AS ${quote(column.name)}`).join(', ')}, CAST(NULL AS VARCHAR) AS ${PARTITION_COLUMN} WHERE false`;
  await connection.run(`CREATE VIEW ${tableName} AS ${selects.length > 0 ? selects.join(' UNION ALL ') : empty}`);
  return {
    tableName,
    async query(sql) {
      const result = await connection.runAndReadAll(sql);
      const rows = result
        .getRowObjectsJS()
        .map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, plain(value)])));
      return { columns: result.columnNames(), rows };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** DuckDB's JavaScript values made printable: BIGINTs as numbers when exact, else strings. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, plain(item)]),
    );
  }
  return value;
}
