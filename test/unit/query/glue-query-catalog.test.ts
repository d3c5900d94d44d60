import {
  AlreadyExistsException,
  BatchCreatePartitionCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
} from '@aws-sdk/client-glue';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GlueQueryCatalog } from '../../../lambda/adapters/glue-query-catalog';
import { tableLocation } from '../../../lambda/domain/query/dataset-table';
import { DATASET_ID as DATASET, completeParquetBatch } from '../support/dataset-batch';

const batch = completeParquetBatch();
const LOCATION = tableLocation(batch, 'exports');

/**
 * A hand double of the SDK clients' `send` (aws-sdk-client-mock is not a dependency): each
 * command is recorded, and `answer` decides the reply or throws the service's error.
 */
function client(answer: (command: object) => unknown = () => ({})) {
  const sent: Array<{ name: string; input: any }> = [];
  return {
    sent,
    send: jest.fn(async (command: { input: unknown }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return answer(command);
    }) as never,
  };
}

const log = { info: jest.fn(), warn: jest.fn() };

const notFound = () => new EntityNotFoundException({ message: 'Table not found', $metadata: {} });
const exists = () => new AlreadyExistsException({ message: 'Table already exists', $metadata: {} });

describe('the Glue query catalog (adapter)', () => {
  it('GIVEN a dataset without a table WHEN a complete batch is registered THEN its symlink file is written first, then the table is created, then the batch becomes a partition', async () => {
    const glue = client((command) => {
      if (command instanceof GetTableCommand) throw notFound();
      return {};
    });
    const s3 = client();
    await new GlueQueryCatalog(glue, s3, 'exports_db', 'exports', log).register(batch);

    expect(s3.sent).toEqual([
      {
        name: PutObjectCommand.name,
        input: expect.objectContaining({
          Bucket: 'exports',
          Key: `org%40AdobeOrg/prod/datasets/${DATASET}/_symlinks/batchid=b1/symlink.txt`,
          Body: `s3://exports/org%40AdobeOrg/prod/datasets/${DATASET}/batches/b1/part-0000-000000.parquet\n`,
        }),
      },
    ]);
    expect(glue.sent.map(({ name }) => name)).toEqual([
      GetTableCommand.name,
      CreateTableCommand.name,
      BatchCreatePartitionCommand.name,
    ]);
    expect(glue.sent[1].input).toMatchObject({
      DatabaseName: 'exports_db',
      TableInput: { Name: `dataset_${DATASET}` },
    });
    expect(glue.sent[2].input).toMatchObject({
      DatabaseName: 'exports_db',
      TableName: `dataset_${DATASET}`,
      PartitionInputList: [{ Values: ['b1'] }],
    });
  });

  it('GIVEN the dataset’s table and the partition exist already (a retried finalizer) WHEN the batch is registered again THEN nothing is created and it succeeds', async () => {
    const glue = client((command) => {
      if (command instanceof GetTableCommand) return { Table: { StorageDescriptor: { Location: LOCATION } } };
      return {
        Errors: [
          { PartitionValues: ['b1'], ErrorDetail: { ErrorCode: 'AlreadyExistsException', ErrorMessage: 'exists' } },
        ],
      };
    });
    await new GlueQueryCatalog(glue, client(), 'exports_db', 'exports', log).register(batch);
    expect(glue.sent.map(({ name }) => name)).toEqual([GetTableCommand.name, BatchCreatePartitionCommand.name]);
  });

  it('GIVEN another finalizer creates the table between the look-up and the creation WHEN the batch is registered THEN the table is looked up again and the partition added', async () => {
    let lookups = 0;
    const glue = client((command) => {
      if (command instanceof GetTableCommand) {
        lookups += 1;
        if (lookups === 1) throw notFound();
        return { Table: { StorageDescriptor: { Location: LOCATION } } };
      }
      if (command instanceof CreateTableCommand) throw exists();
      return {};
    });
    await new GlueQueryCatalog(glue, client(), 'exports_db', 'exports', log).register(batch);
    expect(glue.sent.map(({ name }) => name)).toEqual([
      GetTableCommand.name,
      CreateTableCommand.name,
      GetTableCommand.name,
      BatchCreatePartitionCommand.name,
    ]);
  });

  it('GIVEN a table of that name that reads another folder (another tenant’s) WHEN the batch is registered THEN it fails naming both locations and adds no partition', async () => {
    const glue = client(() => ({
      Table: { StorageDescriptor: { Location: 's3://exports/other%40AdobeOrg/prod/datasets/x/_symlinks/' } },
    }));
    await expect(new GlueQueryCatalog(glue, client(), 'exports_db', 'exports', log).register(batch)).rejects.toThrow(
      `Glue table dataset_${DATASET} reads s3://exports/other%40AdobeOrg/prod/datasets/x/_symlinks/, not ${LOCATION}`,
    );
    expect(glue.sent.map(({ name }) => name)).toEqual([GetTableCommand.name]);
  });

  it('GIVEN Glue throttles the partition WHEN the batch is registered THEN the error carries Glue’s code, so the workflow retries it', async () => {
    const glue = client((command) => {
      if (command instanceof GetTableCommand) return { Table: { StorageDescriptor: { Location: LOCATION } } };
      return { Errors: [{ ErrorDetail: { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' } }] };
    });
    await expect(
      new GlueQueryCatalog(glue, client(), 'exports_db', 'exports', log).register(batch),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: `Partition b1 of dataset_${DATASET}: Rate exceeded`,
    });
  });
});
