import { manifestKey } from '../../../lambda/contract/batch-layout';
import { batchSymlinkKey, datasetTableName } from '../../../lambda/contract/query-catalog';
import type { ExportExecutionInput } from '../../../lambda/contract/workflow';
import { DATASET_ID as DATASET, exportJobInto } from '../support/dataset-batch';
import { XDM_PROFILE_UNION } from '../../../lambda/contract/xdm-schemas';
import { datasetColumns } from '../../../lambda/domain/query/dataset-columns';
import {
  batchPartitionInput,
  batchSymlinkFile,
  completeBatch,
  datasetTableInput,
  hiveType,
  type CompleteBatch,
} from '../../../lambda/domain/query/dataset-table';

const job = exportJobInto;

function tableOf(destination: Partial<ExportExecutionInput['job']['destination']> = {}): CompleteBatch {
  const batch = completeBatch(job(destination), 'b1', ['part-0000-000000.parquet', 'part-0001-000000.parquet']);
  if (!('tableName' in batch)) throw new Error(batch.reason);
  return batch;
}

describe('the Glue table of a dataset and the partition of a batch', () => {
  it('GIVEN the XDM profile schema WHEN rendered as Hive types THEN nested objects are structs, identities an array of structs, segmentMembership a map and eventList an array of event structs', () => {
    const columns = Object.fromEntries(
      datasetColumns(XDM_PROFILE_UNION, 'parquet').map((column) => [column.name, hiveType(column)]),
    );
    expect(columns.identities).toBe('array<struct<id:string,namespace:string>>');
    expect(columns.person).toBe('struct<name:struct<firstName:string,lastName:string>>');
    expect(columns.loyalty).toBe('struct<tier:string,points:bigint>');
    expect(columns.segmentMembership).toBe(
      'map<string,map<string,struct<status:string,lastQualificationTime:string>>>',
    );
    expect(columns.eventList).toMatch(/^array<struct<_id:string,timestamp:string,eventType:string,web:struct</);
    expect(columns.eventList).toContain('commerce:struct<order:struct<priceTotal:double>>');
    expect(Object.keys(columns)).toEqual([
      'identities',
      'person',
      'personalEmail',
      'mobilePhone',
      'homeAddress',
      'loyalty',
      'segmentMembership',
      'eventList',
      '_extra',
    ]);
    expect(columns._extra).toBe('string');
  });

  it('GIVEN a Parquet dataset’s complete batch WHEN its table is defined THEN it is dataset_<id>, partitioned by batchid, read through symlinks with the Parquet SerDe, located in the dataset’s folder under the tenant', () => {
    const table = datasetTableInput(tableOf({ format: 'parquet' }), 'exports');
    expect(table.Name).toBe(`dataset_${DATASET}`);
    expect(table.PartitionKeys).toEqual([{ Name: 'batchid', Type: 'string' }]);
    expect(table.TableType).toBe('EXTERNAL_TABLE');
    expect(table.Parameters).toMatchObject({
      classification: 'parquet',
      imsOrgId: 'org@AdobeOrg',
      sandboxName: 'prod',
      datasetId: DATASET,
    });
    expect(table.StorageDescriptor.Location).toBe(`s3://exports/org%40AdobeOrg/prod/datasets/${DATASET}/_symlinks/`);
    expect(table.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat');
    expect(table.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
  });

  it('GIVEN a JSON dataset, or a job recorded without a format WHEN its table is defined THEN the files are read with the JSON SerDe, case-insensitively, and there is no _extra column', () => {
    for (const destination of [{ format: 'json' as const }, {}]) {
      const table = datasetTableInput(tableOf(destination), 'exports');
      expect(table.StorageDescriptor.Columns.map((column) => column.Name)).not.toContain('_extra');
      expect(table.Parameters.classification).toBe('json');
      expect(table.StorageDescriptor.SerdeInfo).toEqual({
        SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
        Parameters: { 'case.insensitive': 'TRUE' },
      });
    }
  });

  it('GIVEN a complete batch WHEN its partition and symlink file are defined THEN the partition reads its own folder, whose symlink lists exactly the manifest’s part files (never the manifest)', () => {
    const batch = tableOf({ format: 'parquet' });
    const partition = batchPartitionInput(batch, 'exports');
    const symlink = batchSymlinkFile(batch, 'exports');
    expect(partition.Values).toEqual(['b1']);
    expect(partition.StorageDescriptor.Location).toBe(
      `s3://exports/org%40AdobeOrg/prod/datasets/${DATASET}/_symlinks/batchid=b1/`,
    );
    expect(symlink.key).toBe(`${partition.StorageDescriptor.Location.replace('s3://exports/', '')}symlink.txt`);
    expect(symlink.key).toBe(batchSymlinkKey({ orgId: 'org@AdobeOrg', sandboxName: 'prod' }, DATASET, 'b1'));
    const prefix = manifestKey({ orgId: 'org@AdobeOrg', sandboxName: 'prod' }, DATASET, 'b1').replace(
      'manifest.json',
      '',
    );
    expect(symlink.body).toBe(
      `s3://exports/${prefix}part-0000-000000.parquet\ns3://exports/${prefix}part-0001-000000.parquet\n`,
    );
    expect(partition.StorageDescriptor.Columns).toEqual(datasetTableInput(batch, 'exports').StorageDescriptor.Columns);
  });

  it('GIVEN a dataset id that cannot name a table, or a schema the service does not know WHEN the batch is described THEN it says why it gets no partition', () => {
    expect(datasetTableName('Legacy-Dataset')).toBeUndefined();
    expect(completeBatch(job({ datasetId: '../other' }), 'b1', [])).toEqual({
      datasetId: '../other',
      batchId: 'b1',
      reason: expect.stringContaining('cannot name a Glue table'),
    });
    expect(completeBatch(job({}, '_xdm.context.other'), 'b1', [])).toMatchObject({
      reason: 'no known XDM schema is exported as _xdm.context.other',
    });
  });
});
