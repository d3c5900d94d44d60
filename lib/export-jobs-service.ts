import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import { ENVIRONMENT } from '../lambda/contract/environment';
import { BUILT_IN_MERGE_POLICY } from '../lambda/contract/merge-policy';
import { acknowledge } from './acknowledgements';
import { ExportJobsApi, type UsagePlanOptions } from './api/export-jobs-api';
import type { FunctionDefaults } from './function-defaults';
import { TokenIssuer } from './auth/token-issuer';
import { ExportBucket } from './export-bucket';
import { DatasetTable } from './dataset-table';
import { ConfigTable } from './config-table';
import { IdempotencyTable } from './idempotency-table';
import { ExecutionWatcher } from './jobs/execution-watcher';
import { JobEventPublisher } from './jobs/job-event-publisher';
import { JobStarter } from './jobs/job-starter';
import { requireJobTableStream } from './jobs/job-stream-source';
import { JobTable } from './job-table';
import { MembershipIndex } from './membership-index';
import { ProfileStore } from './profile-store';
import { DatasetQuery, type DatasetQueryOptions } from './query/dataset-query';
import { DEFAULT_EXPORT_CONCURRENCY, validateServiceProps } from './service-props-validation';
import { DEFAULT_PROFILE_STORE_SHARDS } from '../lambda/contract/profile-store';
import { ExportWorkflow } from './workflow/export-workflow';

/** Reserved concurrency of each API function, unless `apiFunctionReservedConcurrency` says otherwise. */
const DEFAULT_API_FUNCTION_RESERVED_CONCURRENCY = 10;

/** A merge policy reference recorded on jobs. */
export interface MergePolicyReference {
  /** ID of the merge policy. */
  readonly id: string;
  /**
   * Version of the merge policy.
   * @default - none recorded
   */
  readonly version?: number;
}

export interface ExportJobsServiceProps {
  /**
   * An existing job table with the layout of `JobTable` (import it with
   * `globalIndexes: JobTable.INDEX_NAMES`).
   * @default - a new JobTable
   */
  readonly jobTable?: dynamodb.ITable;
  /**
   * An existing dataset table with the layout of `DatasetTable`.
   * @default - a new DatasetTable
   */
  readonly datasetTable?: dynamodb.ITable;
  /**
   * An existing profile table in the layout of `ProfileStore`, with its NEW_AND_OLD_IMAGES
   * stream (import it with `tableStreamArn`; the membership index is maintained from it) and
   * its keys-only `byUpdateTime` index.
   * @default - a new ProfileStore's profile table
   */
  readonly profileTable?: dynamodb.ITable;
  /**
   * An existing event table in the layout of `ProfileStore`.
   * @default - a new ProfileStore's event table
   */
  readonly eventTable?: dynamodb.ITable;
  /**
   * An existing table of merge policies and segment definitions in the layout of `ConfigTable`.
   * @default - a new ConfigTable
   */
  readonly configTable?: dynamodb.ITable;
  /**
   * An existing bucket for the exported batches.
   * @default - a new ExportBucket (private, TLS only, encrypted)
   */
  readonly exportBucket?: s3.IBucket;
  /**
   * Name of the API Gateway stage, the first segment of every URL path.
   * @default 'v1'
   */
  readonly apiStageName?: string;
  /**
   * A path under which every route is mounted, below the stage: with `'/data/core/ups'` (the
   * reference platform's prefix) the jobs are at `/<stage>/data/core/ups/export/jobs`, so a
   * client of that platform works by changing only its host. Segments of letters, digits and
   * `. _ ~ -`, starting with `/`, without a trailing `/`.
   * @default - the routes at the stage root (`/<stage>/export/jobs`)
   */
  readonly basePath?: string;
  /**
   * Steady-state requests per second the API stage accepts before answering 429.
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests the API stage accepts in a burst above the rate.
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Also validate POST bodies at API Gateway against the request model, before any function
   * runs. API Gateway then answers schema violations itself, with one summary message instead
   * of one `errors[]` entry per field; the function validates with the same schema either way.
   * @default false - the function validates and lists every invalid field
   */
  readonly validateRequestBodyAtGateway?: boolean;
  /**
   * The built-in merge policy every tenant has (`timestampOrdered`, on the profile union
   * schema, read-only): listed first by GET /config/mergePolicies, and the tenant's default
   * while the tenant has not made a policy of its own its default. A job that names no policy
   * records the tenant's default.
   * @default { id: 'timestampOrdered-none-mp', version: 1 }
   */
  readonly defaultMergePolicy?: MergePolicyReference;
  /**
   * How long a retried POST with the same Idempotency-Key returns the first job.
   * @default Duration.hours(24)
   */
  readonly idempotencyTtl?: Duration;
  /**
   * How many shards (hash buckets of the profile id) a tenant's profile store is spread over:
   * the unit of an export's parallelism, one worker per shard at a time. Each tenant's count
   * is recorded in its store layout by the first writer of its profiles (the seeder, your
   * ingestion: see "Shards" in the README), so a change of this prop applies to tenants
   * written afterwards; an existing tenant keeps its count, and its profiles are never
   * re-bucketed (moving one to another count is a copy of its items). The planner lists a
   * tenant's occupied shards from its layout in one read; a tenant written without a layout is
   * read with this many buckets, each probed.
   *
   * Choosing it: a whole-store export takes about (profiles ÷ shards) ÷ 20,000 profiles/s per
   * worker, with `exportConcurrency` ≥ shards and the table's read quota ≥ shards × ~2,500
   * read units/s; 32 exports 10M profiles in ~16 s and 600M in ~16 minutes, 64 halves that
   * (docs/aws-scale-model.md). More shards cost nothing when idle, but each non-empty one is a
   * worker invocation and a Distributed Map child per job (small tenants occupy few).
   * @default 32
   */
  readonly profileStoreShards?: number;
  /**
   * Shards of one job exported at the same time (the Distributed Map's MaxConcurrency).
   * @default 16
   */
  readonly exportConcurrency?: number;
  /**
   * Profiles read per page of a shard; a worker stops only between pages.
   * @default 500
   */
  readonly exportPageSize?: number;
  /**
   * How long one worker invocation exports before handing its cursor back to the workflow,
   * which continues the shard in a new invocation. Zero hands over after every page.
   * @default Duration.minutes(10)
   */
  readonly exportInvocationBudget?: Duration;
  /**
   * gzip level of the part files (1 to 9). Measured on 20k profiles (13.2 MB of JSON lines):
   * level 1 took about 50 ms of CPU for 1.63 MB, level 6 about 100 ms for 1.25 MB.
   * @default 1 - the fastest
   */
  readonly exportCompressionLevel?: number;
  /**
   * Timeout of a worker invocation; it must exceed the invocation budget.
   * @default Duration.minutes(15)
   */
  readonly exportWorkerTimeout?: Duration;
  /**
   * Memory of the export workers, in MiB.
   * @default 1024
   */
  readonly exportWorkerMemorySize?: number;
  /**
   * How long a job's workflow may run before the job ends FAILED.
   * @default Duration.hours(24)
   */
  readonly workflowTimeout?: Duration;
  /**
   * Reserved concurrency of the export shard worker: a ceiling on what all running exports
   * together take from the account's Lambda concurrency, so that big jobs cannot throttle the
   * API, and a guarantee that they get that much. Jobs running at once share it: a worker
   * invocation past it is throttled and the workflow retries it with backoff (up to about 2
   * hours), so more jobs at once take longer rather than fail. It must be at least
   * `exportConcurrency` (one job would throttle itself). Reserved concurrency is subtracted
   * from the account's unreserved pool, which Lambda keeps at 100 or more (all of it in new
   * accounts whose quota is 10): see `reserveConcurrency`.
   * @default - twice exportConcurrency (32 with the defaults): two jobs at full width
   */
  readonly exportWorkerReservedConcurrency?: number;
  /**
   * Who issues the bearer tokens the API accepts.
   * @default TokenIssuer.cognito() - a new Cognito user pool and app client
   */
  readonly tokenIssuer?: TokenIssuer;
  /**
   * The token claim that lists the organisations (x-gw-ims-org-id) the caller may use.
   * @default 'custom:orgs' for Cognito, 'orgs' for an OIDC issuer
   */
  readonly orgsClaim?: string;
  /**
   * The token claim that lists the sandboxes (x-sandbox-name) the caller may use ('*' for any).
   * @default 'custom:sandboxes' for Cognito, 'sandboxes' for an OIDC issuer
   */
  readonly sandboxesClaim?: string;
  /**
   * How long API Gateway caches the authorizer's verdict on a token.
   * @default Duration.minutes(5)
   */
  readonly authorizerCacheTtl?: Duration;
  /**
   * Usage plans, each with its API keys (x-api-key is required on every request).
   * @default - one plan, Standard (50 requests/s, bursts of 100, 100000 a day), with one generated key
   */
  readonly usagePlans?: UsagePlanOptions[];
  /**
   * Set the account's API Gateway CloudWatch Logs role (the regional `AWS::ApiGateway::Account`
   * setting) to a new role that may push logs, so that the stage's access logs can be written.
   * Without that setting (a fresh account) the stage fails to deploy with "CloudWatch Logs role
   * ARN must be set in account settings to enable logging". The role is kept when the stack is
   * deleted, since other APIs of the account log through it too. Set false where the setting is
   * managed elsewhere (a landing zone, another stack): it must then be set before deploying.
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
  /**
   * ARN of a WAFv2 web ACL to associate with the API stage.
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * A customer-managed KMS key for the tables, the export bucket and the dead-letter queue that
   * the construct creates.
   * @default - AWS-managed keys (tables, queue) and S3-managed encryption (bucket)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Memory of the API functions, in MiB.
   * @default 512
   */
  readonly apiFunctionMemorySize?: number;
  /**
   * Reserved concurrency of each API function (the jobs' list, create, get and delete; the
   * datasets' create, get and list; the batch files' list and the file download; the merge
   * policies' and the segment definitions' function, each serving the five routes of its
   * resource) and of the authorizer: a reserve that exports and other functions of the account
   * cannot take, and a ceiling on each (past it that function's calls are throttled and API
   * Gateway answers them with a 5xx; with the default limits the stage's throttling answers 429
   * first). Twelve functions reserve twelve times this value, subtracted from the account's
   * unreserved pool (see
   * `reserveConcurrency`).
   * @default 10 - about 100-200 requests/s per operation at 50-100 ms per request
   */
  readonly apiFunctionReservedConcurrency?: number;
  /**
   * Whether the service reserves Lambda concurrency at all (`apiFunctionReservedConcurrency`,
   * `exportWorkerReservedConcurrency`). Lambda refuses a reservation that leaves less than 100
   * of the account's concurrency unreserved, and new accounts often have a quota of 10, none
   * of which may be reserved: there, deployment fails with "Specified
   * ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution
   * below its minimum value of [10]". Set false for such an account (until its quota is
   * raised): the functions then share the unreserved pool, and exports can throttle the API.
   * With the defaults the service reserves 152 (12 × 10 for the API, 32 for the workers).
   * @default true
   */
  readonly reserveConcurrency?: boolean;
  /**
   * Log level of the functions (Powertools: DEBUG, INFO, WARN, ERROR).
   * @default 'INFO'
   */
  readonly logLevel?: string;
  /**
   * Retention of the access logs and the function logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The EventBridge bus that receives an event when a job ends (SUCCEEDED, FAILED or
   * CANCELLED): source `export-jobs`, detail-type `Export Job Ended`, with the job's id, tenant,
   * status, counts and batch ids as detail. Subscribe with `onJobEnded`.
   * @default - the account's default event bus
   */
  readonly jobEventBus?: events.IEventBus;
  /**
   * SQL over the exported datasets with Athena: a Glue database with a table per dataset
   * (`dataset_<datasetId>`, partitioned by `batchid`, each complete batch added by the
   * finalizer), and an Athena workgroup with its own results bucket. See `grantQuery`.
   * @default - enabled, with the defaults of DatasetQueryOptions
   */
  readonly query?: DatasetQueryOptions;
  /**
   * What happens to the tables, bucket and log groups this construct creates when they leave
   * the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Export Jobs service: what another construct (a dashboard, a consumer of the batches, a
 * subscriber to finished jobs) needs of it.
 */
export interface IExportJobsService extends IConstruct {
  /** The URL of the API's stage root; the jobs live under `<basePath>/export/jobs` below it. */
  readonly apiUrl: string;
  /** The job table. */
  readonly jobTable: dynamodb.ITable;
  /** The table of the datasets (`/dataSets`), the targets of the jobs. */
  readonly datasetTable: dynamodb.ITable;
  /** The bucket the batches are written to. */
  readonly exportBucket: s3.IBucket;
  /** The workflow that runs each job. */
  readonly stateMachine: sfn.IStateMachine;
  /** The bus the "Export Job Ended" events go to. */
  readonly jobEventBus: events.IEventBus;
  /** Records the starter, the watcher and the publisher could not process after their retries. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Lets `grantee` read the exported batches. */
  grantReadExports(grantee: iam.IGrantable): iam.Grant;
  /** A rule on the job event bus for the jobs that end (see JobEventPublisher.onJobEnded). */
  onJobEnded(id: string, options?: events.OnEventOptions): events.Rule;
  /** Requests answered with a 5xx (Sum). */
  metricServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Requests answered with a 4xx (Sum). */
  metricClientErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Latency of the API as clients see it (p99). */
  metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Workflow executions that failed (Sum): jobs ended FAILED by a failed step or a crash. */
  metricExecutionsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Workflow executions that reached the workflow timeout (Sum). */
  metricExecutionsTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** How long a job's workflow runs, from start to end (p90, milliseconds). */
  metricExportDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Messages waiting in the dead-letter queue (Maximum): each is a job that needs a look. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Invocations of the export workers that failed (Sum), retried ones included. */
  metricWorkerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Invocations of the export workers that were throttled (Sum). */
  metricWorkerThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * The Export Jobs service: the `/export/jobs` REST API (list, create, get, cancel/delete) behind
 * a JWT authorizer and API keys, the DynamoDB job table, the Step Functions workflow that runs
 * each job, the profile store it exports from, the S3 bucket the batches are written to, and
 * the job events on EventBridge. Each part is a construct of its own, usable alone:
 * `ExportJobsApi`, `JobStarter`, `ExportWorkflow`, `ExecutionWatcher`, `JobEventPublisher`, and
 * the stores `JobTable`, `DatasetTable`, `IdempotencyTable`, `ProfileStore`, `ExportBucket`.
 */
export class ExportJobsService extends Construct implements IExportJobsService {
  /** The REST API. Its URL is `api.url` (the stage root); the jobs live under `<basePath>/export/jobs`. */
  public readonly api: apigateway.RestApi;
  public readonly apiUrl: string;
  /** The API construct: the REST API, its functions and its authorizer. */
  public readonly exportJobsApi: ExportJobsApi;
  /** The job table (created, or the one passed in). */
  public readonly jobTable: dynamodb.ITable;
  /** The dataset table (created, or the one passed in). */
  public readonly datasetTable: dynamodb.ITable;
  /** The table of Idempotency-Key records. */
  public readonly idempotencyTable: dynamodb.ITable;
  /** The table of the tenants' merge policies and segment definitions (created, or the one passed in). */
  public readonly configTable: dynamodb.ITable;
  /** The bucket the batches are written to (created, or the one passed in). */
  public readonly exportBucket: s3.IBucket;
  /** The profile table the exports read (created, or the one passed in). */
  public readonly profileTable: dynamodb.ITable;
  /** The event table the exports read (created, or the one passed in). */
  public readonly eventTable: dynamodb.ITable;
  /** The shard count of tenants' profile stores (`profileStoreShards`), for writers of profiles. */
  public readonly profileStoreShards: number;
  /** The membership index of the profile store, which exports that list segments read. */
  public readonly membershipIndex: MembershipIndex;
  /** The workflow that runs each job. */
  public readonly workflow: ExportWorkflow;
  /** The workflow's state machine. */
  public readonly stateMachine: sfn.IStateMachine;
  /** The log group of the API's access logs. */
  public readonly accessLogGroup: logs.ILogGroup;
  /** Verifies the bearer token of every request. */
  public readonly authorizerFunction: lambda.IFunction;
  /** The Cognito user pool, when the token issuer is Cognito. */
  public readonly userPool?: cognito.IUserPool;
  /** The app client created with a new Cognito user pool. */
  public readonly userPoolClient?: cognito.IUserPoolClient;
  /** The usage plans, in the order of the `usagePlans` prop. */
  public readonly usagePlans: apigateway.UsagePlan[];
  /** The API keys of all usage plans. */
  public readonly apiKeys: apigateway.IApiKey[];
  /** GET /export/jobs */
  public readonly listJobsFunction: lambda.IFunction;
  /** POST /export/jobs */
  public readonly createJobFunction: lambda.IFunction;
  /** GET /export/jobs/{id} (named so that it does not read as a Java getter). */
  public readonly retrieveJobFunction: lambda.IFunction;
  /** DELETE /export/jobs/{id} */
  public readonly deleteJobFunction: lambda.IFunction;
  /** Starts the workflow of each new job, from the job table's stream. */
  public readonly startExportFunction: lambda.IFunction;
  /** Ends the job of an execution that failed, timed out or was stopped outside the workflow. */
  public readonly executionEndedFunction: lambda.IFunction;
  /** Records the starter, the watcher and the publisher could not process after their retries. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The bus the "Export Job Ended" events go to. */
  public readonly jobEventBus: events.IEventBus;
  /** Puts an "Export Job Ended" event on the bus for each job that ends. */
  public readonly publishJobEventsFunction: lambda.IFunction;
  /** The publisher of the job events. */
  public readonly jobEvents: JobEventPublisher;
  /** The Glue database and Athena workgroup of the datasets, unless `query.enabled` is false. */
  public readonly datasetQuery?: DatasetQuery;

  constructor(scope: Construct, id: string, props: ExportJobsServiceProps = {}) {
    super(scope, id);
    validateServiceProps(props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const encryptionKey = props.encryptionKey;

    // Stateful resources: their construct IDs never change (test/construct/stateful-logical-ids.ts).
    this.jobTable = props.jobTable ?? new JobTable(this, 'JobTable', { removalPolicy, encryptionKey }).table;
    requireJobTableStream(this.jobTable);
    this.datasetTable =
      props.datasetTable ?? new DatasetTable(this, 'DatasetTable', { removalPolicy, encryptionKey }).table;
    this.idempotencyTable = new IdempotencyTable(this, 'IdempotencyTable', { encryptionKey }).table;
    this.configTable =
      props.configTable ?? new ConfigTable(this, 'ConfigTable', { removalPolicy, encryptionKey }).table;
    const exportBucket = props.exportBucket
      ? undefined
      : new ExportBucket(this, 'ExportBucket', { removalPolicy, encryptionKey });
    this.exportBucket = props.exportBucket ?? exportBucket!.bucket;
    const profileStore =
      props.profileTable && props.eventTable
        ? undefined
        : new ProfileStore(this, 'ProfileStore', { removalPolicy, encryptionKey });
    this.profileTable = props.profileTable ?? profileStore!.profileTable;
    this.eventTable = props.eventTable ?? profileStore!.eventTable;
    this.profileStoreShards = props.profileStoreShards ?? DEFAULT_PROFILE_STORE_SHARDS;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: encryptionKey ? sqs.QueueEncryption.KMS : sqs.QueueEncryption.SQS_MANAGED,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of the starter, the watcher and the job event publisher.',
    );

    const concurrency = reservedConcurrency(props);
    const functionDefaults = serviceFunctionDefaults(props, {
      jobTable: this.jobTable,
      datasetTable: this.datasetTable,
      idempotencyTable: this.idempotencyTable,
      exportBucket: this.exportBucket,
      logRetention,
      removalPolicy,
    });

    this.membershipIndex = new MembershipIndex(this, 'MembershipIndex', {
      profileTable: this.profileTable,
      deadLetterQueue: this.deadLetterQueue,
      functionDefaults,
      removalPolicy,
      encryptionKey,
    });

    if (props.query?.enabled ?? true) {
      const { enabled: _enabled, ...settings } = props.query ?? {};
      this.datasetQuery = new DatasetQuery(this, 'Query', {
        ...settings,
        exportBucket: this.exportBucket,
        encryptionKey,
        serverAccessLogsBucket: exportBucket?.accessLogsBucket,
        removalPolicy,
      });
    }

    this.workflow = new ExportWorkflow(this, 'Workflow', {
      jobTable: this.jobTable,
      profileTable: this.profileTable,
      eventTable: this.eventTable,
      membershipIndexTable: this.membershipIndex.table,
      configTable: this.configTable,
      exportBucket: this.exportBucket,
      datasetQuery: this.datasetQuery,
      functionDefaults,
      profileStoreShards: this.profileStoreShards,
      maxConcurrency: props.exportConcurrency ?? DEFAULT_EXPORT_CONCURRENCY,
      pageSize: props.exportPageSize ?? 500,
      invocationBudget: props.exportInvocationBudget ?? Duration.minutes(10),
      gzipLevel: props.exportCompressionLevel ?? 1,
      workerTimeout: props.exportWorkerTimeout ?? Duration.minutes(15),
      workerMemorySize: props.exportWorkerMemorySize ?? 1024,
      workerReservedConcurrency: concurrency.exportWorker,
      timeout: props.workflowTimeout ?? Duration.hours(24),
      removalPolicy,
      logRetention,
    });
    this.stateMachine = this.workflow.stateMachine;

    const tokenIssuer = (props.tokenIssuer ?? TokenIssuer.cognito({ removalPolicy })).bind(this);
    this.userPool = tokenIssuer.userPool;
    this.userPoolClient = tokenIssuer.userPoolClient;
    // The RestApi is the default child of 'Api': its logical ID (and so its URL) is the one it
    // had before the API became a construct of its own.
    this.exportJobsApi = new ExportJobsApi(this, 'Api', {
      jobTable: this.jobTable,
      datasetTable: this.datasetTable,
      idempotencyTable: this.idempotencyTable,
      exportBucket: this.exportBucket,
      configTable: this.configTable,
      stateMachine: this.stateMachine,
      tokenIssuer,
      functionDefaults: { ...functionDefaults, reservedConcurrentExecutions: concurrency.apiFunction },
      orgsClaim: props.orgsClaim,
      sandboxesClaim: props.sandboxesClaim,
      authorizerCacheTtl: props.authorizerCacheTtl,
      webAclArn: props.webAclArn,
      stageName: props.apiStageName,
      basePath: props.basePath,
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
      validateRequestBodyAtGateway: props.validateRequestBodyAtGateway,
      apiGatewayCloudWatchRole: props.apiGatewayCloudWatchRole,
      logRetention,
      removalPolicy,
    });
    this.api = this.exportJobsApi.api;
    this.apiUrl = this.api.url;
    this.accessLogGroup = this.exportJobsApi.accessLogGroup;
    this.authorizerFunction = this.exportJobsApi.authorizerFunction;
    this.listJobsFunction = this.exportJobsApi.listJobsFunction;
    this.createJobFunction = this.exportJobsApi.createJobFunction;
    this.retrieveJobFunction = this.exportJobsApi.retrieveJobFunction;
    this.deleteJobFunction = this.exportJobsApi.deleteJobFunction;
    // API keys are credentials handed to clients: created in this scope, their logical IDs (and
    // so their values) stay what they were.
    const access = this.exportJobsApi.addUsagePlans(props.usagePlans ?? [{ name: 'Standard' }], this);
    this.usagePlans = access.usagePlans;
    this.apiKeys = access.apiKeys;

    const lifecycle = { jobTable: this.jobTable, deadLetterQueue: this.deadLetterQueue, functionDefaults };
    this.startExportFunction = new JobStarter(this, 'JobStarter', {
      ...lifecycle,
      stateMachine: this.stateMachine,
    }).function;
    this.executionEndedFunction = new ExecutionWatcher(this, 'ExecutionWatcher', {
      ...lifecycle,
      stateMachine: this.stateMachine,
    }).function;
    this.jobEvents = new JobEventPublisher(this, 'JobEvents', {
      ...lifecycle,
      eventBus: props.jobEventBus,
      exportBucket: this.exportBucket,
    });
    this.jobEventBus = this.jobEvents.eventBus;
    this.publishJobEventsFunction = this.jobEvents.function;
  }

  public onJobEnded(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.jobEvents.onJobEnded(id, options);
  }

  public grantReadExports(grantee: iam.IGrantable): iam.Grant {
    return this.exportBucket.grantRead(grantee);
  }

  /**
   * Lets `grantee` run SQL over the dataset tables in the service's Athena workgroup (see
   * DatasetQuery.grantQuery). Fails when `query.enabled` is false.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    if (!this.datasetQuery) throw new Error('grantQuery: this ExportJobsService was created with query.enabled false');
    return this.datasetQuery.grantQuery(grantee);
  }

  public metricServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.api.metricServerError({ statistic: 'Sum', ...props });
  }

  public metricClientErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.api.metricClientError({ statistic: 'Sum', ...props });
  }

  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.api.metricLatency({ statistic: 'p99', ...props });
  }

  public metricExecutionsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed({ statistic: 'Sum', ...props });
  }

  public metricExecutionsTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTimedOut({ statistic: 'Sum', ...props });
  }

  public metricExportDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTime({ statistic: 'p90', ...props });
  }

  public metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }

  public metricWorkerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.workflow.exportShardFunction.metricErrors({ statistic: 'Sum', ...props });
  }

  public metricWorkerThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.workflow.exportShardFunction.metricThrottles({ statistic: 'Sum', ...props });
  }
}

/**
 * The reserved concurrency of the API functions and of the export workers (see the props'
 * documentation for the trade-offs), none when `reserveConcurrency` is false.
 */
function reservedConcurrency(props: ExportJobsServiceProps): { apiFunction?: number; exportWorker?: number } {
  if (props.reserveConcurrency === false) return {};
  return {
    apiFunction: props.apiFunctionReservedConcurrency ?? DEFAULT_API_FUNCTION_RESERVED_CONCURRENCY,
    exportWorker: props.exportWorkerReservedConcurrency ?? 2 * (props.exportConcurrency ?? DEFAULT_EXPORT_CONCURRENCY),
  };
}

/** The settings every function of the service shares: logging, memory, and the resources it uses. */
function serviceFunctionDefaults(
  props: ExportJobsServiceProps,
  resources: {
    jobTable: dynamodb.ITable;
    datasetTable: dynamodb.ITable;
    idempotencyTable: dynamodb.ITable;
    exportBucket: s3.IBucket;
    logRetention: logs.RetentionDays;
    removalPolicy: RemovalPolicy;
  },
): FunctionDefaults {
  const mergePolicy = props.defaultMergePolicy ?? BUILT_IN_MERGE_POLICY;
  return {
    memorySize: props.apiFunctionMemorySize ?? 512,
    timeout: Duration.seconds(10),
    logRetention: resources.logRetention,
    logRemovalPolicy: resources.removalPolicy,
    environment: {
      POWERTOOLS_SERVICE_NAME: 'export-jobs',
      POWERTOOLS_METRICS_NAMESPACE: 'ExportJobs',
      POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
      [ENVIRONMENT.jobTableName]: resources.jobTable.tableName,
      [ENVIRONMENT.datasetTableName]: resources.datasetTable.tableName,
      [ENVIRONMENT.idempotencyTableName]: resources.idempotencyTable.tableName,
      [ENVIRONMENT.exportBucketName]: resources.exportBucket.bucketName,
      [ENVIRONMENT.defaultMergePolicyId]: mergePolicy.id,
      ...(mergePolicy.version !== undefined && {
        [ENVIRONMENT.defaultMergePolicyVersion]: String(mergePolicy.version),
      }),
      [ENVIRONMENT.idempotencyTtlSeconds]: String((props.idempotencyTtl ?? Duration.hours(24)).toSeconds()),
    },
  };
}
