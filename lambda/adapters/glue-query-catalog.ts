import {
  AlreadyExistsException,
  BatchCreatePartitionCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  type GlueClient,
} from '@aws-sdk/client-glue';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  batchPartitionInput,
  batchSymlinkFile,
  datasetTableInput,
  tableLocation,
  type CompleteBatch,
  type UncataloguedBatch,
} from '../domain/query/dataset-table';
import type { QueryCatalog } from '../domain/query/query-catalog';

/** Where the catalog says what it did (Powertools' logger in the functions). */
export interface CatalogLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/**
 * The dataset tables in a Glue database. For each complete batch: its symlink file (the part
 * files the manifest lists), the dataset's table if it is missing, and the batch's partition.
 * Every call is idempotent, so a retried finalizer repeats them harmlessly.
 */
export class GlueQueryCatalog implements QueryCatalog {
  constructor(
    private readonly glue: Pick<GlueClient, 'send'>,
    private readonly s3: Pick<S3Client, 'send'>,
    private readonly database: string,
    private readonly bucket: string,
    private readonly logger: CatalogLog,
  ) {}

  async register(batch: CompleteBatch): Promise<void> {
    const symlink = batchSymlinkFile(batch, this.bucket);
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: symlink.key, Body: symlink.body, ContentType: 'text/plain' }),
    );
    await this.ensureTable(batch);
    const { Errors: errors = [] } = await this.glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: this.database,
        TableName: batch.tableName,
        PartitionInputList: [batchPartitionInput(batch, this.bucket)],
      }),
    );
    const failures = errors.filter((error) => error.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
    if (failures.length > 0) {
      const [{ ErrorDetail: detail }] = failures;
      // Named after Glue's error code, so that a throttled or internal error is retried.
      throw Object.assign(new Error(`Partition ${batch.batchId} of ${batch.tableName}: ${detail?.ErrorMessage}`), {
        name: detail?.ErrorCode ?? 'GluePartitionError',
      });
    }
    this.logger.info('Batch registered as a partition', { table: batch.tableName, batchId: batch.batchId });
  }

  skip(batch: UncataloguedBatch): void {
    this.logger.warn('Batch not registered in the query catalog', { ...batch });
  }

  /**
   * Creates the table unless it exists. Dataset ids are unique across tenants, so a table of
   * that name is this dataset's: its location (under the tenant's folder) must say so, or the
   * batch is not registered in another tenant's table.
   */
  private async ensureTable(batch: CompleteBatch): Promise<void> {
    let location = await this.existingTableLocation(batch.tableName);
    if (location === undefined) {
      try {
        await this.glue.send(
          new CreateTableCommand({ DatabaseName: this.database, TableInput: datasetTableInput(batch, this.bucket) }),
        );
        this.logger.info('Dataset table created', { table: batch.tableName });
        return;
      } catch (error) {
        // Another batch of the dataset, finalized at the same time, created it first.
        if (!(error instanceof AlreadyExistsException)) throw error;
        location = await this.existingTableLocation(batch.tableName);
      }
    }
    const expected = tableLocation(batch, this.bucket);
    if (location !== expected) {
      throw new Error(
        `Glue table ${batch.tableName} reads ${location}, not ${expected}: it is not this tenant's dataset, so batch ${batch.batchId} is not added to it`,
      );
    }
  }

  private async existingTableLocation(tableName: string): Promise<string | undefined> {
    try {
      const { Table: table } = await this.glue.send(
        new GetTableCommand({ DatabaseName: this.database, Name: tableName }),
      );
      return table?.StorageDescriptor?.Location ?? '';
    } catch (error) {
      if (error instanceof EntityNotFoundException) return undefined;
      throw error;
    }
  }
}

/**
 * No catalog (`QUERY_CATALOG=none`: the construct's `query.enabled` is false, as in the local
 * stage, which has no Glue; `npm run query` reads the manifests there instead). It registers
 * nothing and says so once per batch.
 */
export class NoQueryCatalog implements QueryCatalog {
  constructor(private readonly logger: CatalogLog) {}

  async register(batch: CompleteBatch): Promise<void> {
    this.logger.info('No query catalog (QUERY_CATALOG=none): batch not registered', {
      table: batch.tableName,
      batchId: batch.batchId,
    });
  }

  skip(batch: UncataloguedBatch): void {
    this.logger.info('No query catalog (QUERY_CATALOG=none)', { ...batch });
  }
}
