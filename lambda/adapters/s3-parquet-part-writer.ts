import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import {
  COLUMNS_METADATA_KEY,
  LIST_ELEMENT_NAME,
  MAP_VALUE_NAME,
  type ParquetColumn,
} from '../contract/parquet-columns';
import type { ExportRecord, PartWriter } from '../domain/export/ports';
import { splitParquetRow, type ParquetRow } from '../domain/export/parquet-record';
import type { S3HashedUpload } from './s3-hashed-upload';

/**
 * Rows gathered before they are encoded as one row group and handed to the upload. A row
 * group is the unit of memory: at ~0.5 KB a profile, 5,000 rows are a few MB of values, and
 * the file grows by row groups while the worker's memory stays where it is.
 */
const ROW_GROUP_ROWS = 5_000;

/**
 * A Parquet part file (hyparquet-writer, pure JavaScript: chosen by measurement, see
 * bench/parquet-writers.ts), streamed: rows are gathered into row groups, each encoded
 * (snappy) and written to the multipart upload as soon as it is full, so only one row group
 * and one upload part are ever held. The footer (the schema and the row groups' metadata)
 * closes the file.
 */
export class S3ParquetPartWriter implements PartWriter {
  private readonly bytes = new FlushingByteWriter();
  private readonly writer: ParquetWriter;
  private rows: ParquetRow[] = [];

  constructor(
    private readonly upload: S3HashedUpload,
    private readonly columns: readonly ParquetColumn[],
  ) {
    this.writer = new ParquetWriter({
      writer: this.bytes,
      schema: schemaElements(columns),
      kvMetadata: [{ key: COLUMNS_METADATA_KEY, value: JSON.stringify(columns) }],
      createdBy: 'cdk-export-jobs (hyparquet-writer)',
    });
  }

  async write(record: ExportRecord): Promise<void> {
    this.rows.push(splitParquetRow(record, this.columns));
    if (this.rows.length >= ROW_GROUP_ROWS) await this.flushRowGroup();
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    await this.flushRowGroup();
    await this.writer.finish();
    await this.upload.write(this.bytes.take());
    this.upload.body.end();
    return this.upload.done();
  }

  async abort(): Promise<void> {
    await this.upload.abort();
  }

  private async flushRowGroup(): Promise<void> {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    await this.writer.write({
      columnData: this.columns.map((column) => ({ name: column.name, data: rows.map((row) => row[column.name]) })),
      rowGroupSize: rows.length,
    });
    await this.upload.write(this.bytes.take());
  }
}

/** hyparquet-writer's buffer, emptied after each row group (its offset keeps counting the file). */
class FlushingByteWriter extends ByteWriter {
  /** The bytes written since the last call, copied out; the buffer is reused. */
  take(): Uint8Array {
    const chunk = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return chunk;
  }
}

/** The Parquet schema of the columns, depth first, in the standard LIST and MAP layouts. */
export function schemaElements(columns: readonly ParquetColumn[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap((column) => elementsOf(column))];
}

function elementsOf(column: ParquetColumn): SchemaElement[] {
  const { name } = column;
  const optional = 'OPTIONAL' as const;
  switch (column.kind) {
    case 'struct':
      return [
        { name, repetition_type: optional, num_children: column.fields.length },
        ...column.fields.flatMap((field) => elementsOf(field)),
      ];
    case 'list':
      return [
        { name, repetition_type: optional, converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...elementsOf({ ...column.element, name: LIST_ELEMENT_NAME }),
      ];
    case 'map':
      return [
        { name, repetition_type: optional, converted_type: 'MAP', num_children: 1 },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', repetition_type: 'REQUIRED', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
        ...elementsOf({ ...column.value, name: MAP_VALUE_NAME }),
      ];
    case 'int64':
      return [{ name, repetition_type: optional, type: 'INT64' }];
    case 'double':
      return [{ name, repetition_type: optional, type: 'DOUBLE' }];
    case 'boolean':
      return [{ name, repetition_type: optional, type: 'BOOLEAN' }];
    default:
      // Strings and JSON text (the undescribed values, loosely typed fields) alike: UTF-8.
      return [{ name, repetition_type: optional, type: 'BYTE_ARRAY', converted_type: 'UTF8' }];
  }
}
