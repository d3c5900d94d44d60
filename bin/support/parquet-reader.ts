import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { COLUMNS_METADATA_KEY, type ParquetColumn } from '../../lambda/contract/parquet-columns';
import { joinParquetRow } from '../../lambda/domain/export/parquet-record';

/**
 * Reads the records of a Parquet part file with DuckDB: an implementation of Parquet of its
 * own (C++), independent of the JavaScript writer of the export, so that what it reads back
 * shows the files are standard Parquet, not only readable by their writer. The columns the
 * file's metadata lists say which column holds JSON text; the undescribed values (`_extra`)
 * are merged back, so the records are the exported records, as JSON Lines has them.
 */
export async function readParquetRecords(bytes: Uint8Array): Promise<Array<Record<string, unknown>>> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-part-'));
  const file = path.join(directory, 'part.parquet');
  fs.writeFileSync(file, bytes);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const literal = `'${file.replace(/'/g, "''")}'`;
    const metadata = await connection.runAndReadAll(
      `SELECT decode(value) AS value FROM parquet_kv_metadata(${literal}) WHERE decode(key) = '${COLUMNS_METADATA_KEY}'`,
    );
    const [entry] = metadata.getRowObjectsJS();
    if (!entry) throw new Error(`The Parquet file has no ${COLUMNS_METADATA_KEY} metadata`);
    const columns = JSON.parse(String(entry.value)) as ParquetColumn[];
    const rows = await connection.runAndReadAll(`SELECT * FROM read_parquet(${literal})`);
    return rows.getRowObjectsJS().map((row) => joinParquetRow(row as Record<string, unknown>, columns));
  } finally {
    connection.closeSync();
    instance.closeSync();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
