import type { FileFormat } from '../../contract/file-format';
import { UNDESCRIBED_VALUES_COLUMN, exportColumns, type ParquetColumn } from '../../contract/parquet-columns';
import type { XdmSchema } from '../../contract/xdm-schemas';

/**
 * The columns of a dataset's table: the columns of its part files when a job exports every
 * field with its events (parquet-columns.ts, the one place that turns a schema into columns),
 * so a job that projects `fields` writes a subset of them and the engines read the columns a
 * file lacks as nulls. A JSON dataset has no `_extra` column: its files keep undescribed
 * values in the records themselves.
 */
export function datasetColumns(schema: XdmSchema, format: FileFormat): ParquetColumn[] {
  const columns = exportColumns(schema, { fields: [], eventFields: [] });
  return format === 'parquet' ? columns : columns.filter((column) => column.name !== UNDESCRIBED_VALUES_COLUMN);
}
