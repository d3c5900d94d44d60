import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { XDM_PROFILE_UNION } from '../../../lambda/contract/xdm-schemas';
import { openDatasetEngine } from '../../../bin/support/dataset-sql';
import { formatTable } from '../../../bin/support/text-table';
import { DATASET_ID } from '../support/dataset-batch';

const TABLE = `dataset_${DATASET_ID}`;
let directory: string;
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dataset-engine-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

function jsonLinesPart(name: string, records: object[]): string {
  const file = path.join(directory, name);
  fs.writeFileSync(file, gzipSync(records.map((record) => `${JSON.stringify(record)}\n`).join('')));
  return file;
}

/** A Parquet part written by DuckDB itself (the export's writer is tested by the parquet suites). */
async function parquetPart(name: string, select: string): Promise<string> {
  const file = path.join(directory, name);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  return file;
}

const profile = (id: string, tier: string) => ({
  identities: [{ id, namespace: 'email' }],
  loyalty: { tier, points: 10 },
  segmentMembership: { ups: { s1: { status: 'realized', lastQualificationTime: '2026-01-01T00:00:00Z' } } },
});

describe('the local query engine (npm run query)', () => {
  it('GIVEN two complete JSON Lines batches WHEN SQL counts and groups the dataset table THEN it sees every record, with its batchid, under the Glue table’s name and columns', async () => {
    const engine = await openDatasetEngine({
      datasetId: DATASET_ID,
      schema: XDM_PROFILE_UNION,
      format: 'json',
      batches: [
        {
          batchId: 'b1',
          format: 'json',
          files: [jsonLinesPart('a.json.gz', [profile('a', 'gold'), profile('b', 'silver')])],
        },
        { batchId: 'b2', format: 'json', files: [jsonLinesPart('b.json.gz', [profile('c', 'gold')])] },
      ],
    });
    try {
      const grouped = await engine.query(
        `SELECT batchid, loyalty.tier AS tier, count(*) AS profiles FROM ${TABLE} GROUP BY ALL ORDER BY batchid, tier`,
      );
      expect(grouped.rows).toEqual([
        { batchid: 'b1', tier: 'gold', profiles: 1 },
        { batchid: 'b1', tier: 'silver', profiles: 1 },
        { batchid: 'b2', tier: 'gold', profiles: 1 },
      ]);
      const nested = await engine.query(
        `SELECT identities[1].id AS id, segmentMembership['ups']['s1'].status AS status, person.name.firstName AS first FROM ${TABLE} ORDER BY id`,
      );
      expect(nested.rows).toEqual([
        { id: 'a', status: 'realized', first: null },
        { id: 'b', status: 'realized', first: null },
        { id: 'c', status: 'realized', first: null },
      ]);
      expect(formatTable(grouped.columns, grouped.rows).split('\n')).toEqual([
        'batchid | tier   | profiles',
        '--------+--------+---------',
        'b1      | gold   |        1',
        'b1      | silver |        1',
        'b2      | gold   |        1',
      ]);
    } finally {
      engine.close();
    }
  });

  it('GIVEN Parquet batches that projected different fields WHEN queried THEN columns a file lacks, and struct fields it lacks, are nulls, as Athena reads them', async () => {
    const engine = await openDatasetEngine({
      datasetId: DATASET_ID,
      schema: XDM_PROFILE_UNION,
      format: 'parquet',
      batches: [
        {
          batchId: 'b1',
          format: 'parquet',
          files: [await parquetPart('p1.parquet', `SELECT {'tier': 'gold'} AS loyalty, NULL::VARCHAR AS _extra`)],
        },
        {
          batchId: 'b2',
          format: 'parquet',
          files: [await parquetPart('p2.parquet', `SELECT [{'id': 'x', 'namespace': 'ecid'}] AS identities`)],
        },
      ],
    });
    try {
      const { rows } = await engine.query(
        `SELECT batchid, loyalty.tier AS tier, loyalty.points AS points, identities[1].namespace AS ns FROM ${TABLE} ORDER BY batchid`,
      );
      expect(rows).toEqual([
        { batchid: 'b1', tier: 'gold', points: null, ns: null },
        { batchid: 'b2', tier: null, points: null, ns: 'ecid' },
      ]);
    } finally {
      engine.close();
    }
  });

  it('GIVEN a dataset without a complete batch WHEN queried THEN the table exists and is empty', async () => {
    const engine = await openDatasetEngine({
      datasetId: DATASET_ID,
      schema: XDM_PROFILE_UNION,
      format: 'parquet',
      batches: [],
    });
    try {
      expect((await engine.query(`SELECT count(*) AS n FROM ${TABLE}`)).rows).toEqual([{ n: 0 }]);
    } finally {
      engine.close();
    }
  });
});
