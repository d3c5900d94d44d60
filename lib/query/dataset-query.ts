import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DATASET_TABLE_PREFIX, SYMLINK_OBJECT_PATTERN } from '../../lambda/contract/query-catalog';
import { acknowledge, acknowledgeWildcards } from '../acknowledgements';
import { datasetQueryProblems } from './dataset-query-validation';
import { grantObjectWrites } from '../grants';
import { privateBucketProps } from '../private-bucket';

/** The names and limits of the Glue database and the Athena workgroup of the datasets. */
export interface DatasetQuerySettings {
  /**
   * Name of the Glue database of the dataset tables (lowercase letters, digits and `_`).
   * @default - derived from the construct path, unique in the account and region
   */
  readonly databaseName?: string;
  /**
   * Name of the Athena workgroup (letters, digits, `.`, `_` and `-`).
   * @default - derived from the construct path, unique in the account and region
   */
  readonly workgroupName?: string;
  /**
   * An existing bucket for the workgroup's query results.
   * @default - a new bucket: private, TLS only, encrypted, results expired after `resultsRetention`
   */
  readonly resultsBucket?: s3.IBucket;
  /**
   * How long query results are kept in the results bucket the construct creates.
   * @default Duration.days(7)
   */
  readonly resultsRetention?: Duration;
  /**
   * The most a query of the workgroup may scan, in bytes (at least 10 MB); a query past it is cancelled.
   * @default - no limit
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/** What the service's `query` prop may say: SQL over the exported datasets with Athena. */
export interface DatasetQueryOptions extends DatasetQuerySettings {
  /**
   * Whether the service creates the Glue database and the Athena workgroup and the finalizer
   * registers each complete batch as a partition of its dataset's table. Set false where Glue
   * is not wanted (the local stage, which has no Glue, sets it: `npm run query` reads the
   * complete batches there instead).
   * @default true
   */
  readonly enabled?: boolean;
}

export interface DatasetQueryProps extends DatasetQuerySettings {
  /** The bucket of the exported batches, where the dataset tables' files are. */
  readonly exportBucket: s3.IBucket;
  /**
   * Customer-managed KMS key of the query results (the bucket and the workgroup's encryption).
   * @default - S3-managed encryption (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Bucket that receives the server access logs of the results bucket.
   * @default - none (acknowledged: the results are short-lived copies, and Athena's calls are in CloudTrail)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * SQL over the exported datasets: a Glue database holding one table per dataset,
 * `dataset_<datasetId>`, partitioned by `batchid` (the finalizer creates the table with the
 * dataset's first complete batch and adds each complete batch as a partition), and an Athena
 * workgroup whose results go to a bucket of its own: private, TLS only, encrypted, expired
 * after `resultsRetention`, with the workgroup's settings enforced on every query.
 */
export class DatasetQuery extends Construct {
  /** The Glue database of the dataset tables. */
  public readonly database: glue.CfnDatabase;
  /** Its name, as SQL names it (`SELECT ... FROM "<databaseName>"."dataset_<id>"`). */
  public readonly databaseName: string;
  /** The Athena workgroup to run the queries in. */
  public readonly workgroup: athena.CfnWorkGroup;
  public readonly workgroupName: string;
  /** Where the workgroup writes query results (created, or the one passed in). */
  public readonly resultsBucket: s3.IBucket;
  private readonly exportBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: DatasetQueryProps) {
    super(scope, id);
    const problems = datasetQueryProblems(props);
    if (problems.length > 0) throw new Error(`Invalid DatasetQuery props: ${problems.join('; ')}`);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    this.exportBucket = props.exportBucket;

    // Athena's SQL names are lowercase letters, digits and underscores.
    const databaseName =
      props.databaseName ?? Names.uniqueResourceName(this, { maxLength: 64, separator: '_' }).toLowerCase();
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: databaseName,
        description: 'Export Jobs: one table per dataset (dataset_<id>), one partition per complete batch',
      },
    });
    this.database.applyRemovalPolicy(removalPolicy);
    this.databaseName = this.database.ref;

    this.resultsBucket = props.resultsBucket ?? this.createResultsBucket(props, removalPolicy);
    const resultsKey = this.resultsBucket.encryptionKey;

    this.workgroupName = props.workgroupName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workgroupName,
      description: 'Export Jobs: SQL over the exported datasets',
      state: 'ENABLED',
      recursiveDeleteOption: removalPolicy === RemovalPolicy.DESTROY,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'AUTO' },
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/`,
          expectedBucketOwner: stack.account,
          encryptionConfiguration: resultsKey
            ? { encryptionOption: 'SSE_KMS', kmsKey: resultsKey.keyArn }
            : { encryptionOption: 'SSE_S3' },
        },
      },
    });
    this.workgroup.applyRemovalPolicy(removalPolicy);
  }

  private createResultsBucket(props: DatasetQueryProps, removalPolicy: RemovalPolicy): s3.Bucket {
    const bucket = new s3.Bucket(this, 'ResultsBucket', {
      ...privateBucketProps(props.encryptionKey),
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsBucket ? 'query-results/' : undefined,
      lifecycleRules: [
        {
          id: 'ExpireQueryResults',
          expiration: props.resultsRetention ?? Duration.days(7),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });
    if (!props.serverAccessLogsBucket) {
      acknowledge(
        bucket,
        'AwsSolutions-S1',
        "The results bucket holds short-lived copies of query results; Athena's calls that write them are in CloudTrail.",
      );
    }
    return bucket;
  }

  /** The Glue catalog, the database and its dataset tables: what a Glue action is evaluated on. */
  private glueArns(tables: string): string[] {
    const stack = Stack.of(this);
    return [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${tables}` }),
    ];
  }

  /**
   * What the finalizer needs to register complete batches: write a batch's symlink file, look
   * up and create its dataset's table, add the batch as a partition — on the dataset tables of
   * this database only.
   */
  public grantRegisterBatches(grantee: iam.IGrantable): void {
    const resources = this.glueArns(`${DATASET_TABLE_PREFIX}*`);
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetTable', 'glue:CreateTable', 'glue:BatchCreatePartition'],
      resourceArns: resources,
    });
    grantObjectWrites(grantee, this.exportBucket, SYMLINK_OBJECT_PATTERN);
    if (grantee.grantPrincipal instanceof Construct) {
      acknowledgeWildcards(
        grantee.grantPrincipal,
        [resources[2], this.exportBucket.arnForObjects(SYMLINK_OBJECT_PATTERN)],
        'Datasets are created at run time: their tables (dataset_<id>) and symlink files (<org>/<sandbox>/datasets/<id>/_symlinks/...) are named by pattern.',
      );
    }
  }

  /**
   * Lets `grantee` run SQL over the dataset tables in the workgroup: start, follow and read
   * queries; read the catalog; read every tenant's exported datasets (the tables' files);
   * write and read the results bucket.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const workgroupArn = Stack.of(this).formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: this.workgroupName,
    });
    const tables = this.glueArns('*');
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'athena:StartQueryExecution',
        'athena:StopQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:GetQueryResultsStream',
        'athena:BatchGetQueryExecution',
        'athena:ListQueryExecutions',
        'athena:GetWorkGroup',
      ],
      resourceArns: [workgroupArn],
    }).combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetPartition',
          'glue:GetPartitions',
          'glue:BatchGetPartition',
        ],
        resourceArns: tables,
      }),
    );
    // Named actions rather than grantRead/grantReadWrite's families: the files of the datasets
    // (every tenant's), and the results Athena writes for the caller and reads back.
    const datasets = this.exportBucket.arnForObjects('*/*/datasets/*');
    const results = this.resultsBucket.arnForObjects('*');
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [datasets] });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resourceArns: [results],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      resourceArns: [this.exportBucket.bucketArn, this.resultsBucket.bucketArn],
    });
    this.exportBucket.encryptionKey?.grant(grantee, 'kms:Decrypt');
    this.resultsBucket.encryptionKey?.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
    if (grantee.grantPrincipal instanceof Construct) {
      acknowledgeWildcards(
        grantee.grantPrincipal,
        [tables[2], datasets, results],
        "Querying reads every dataset table of the database and the files under each tenant's datasets/ folder, and the workgroup's results.",
      );
    }
    return grant;
  }
}
