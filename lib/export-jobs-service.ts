import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENVIRONMENT } from '../lambda/contract/environment';
import { JOB_EVENTS } from '../lambda/contract/job-events';
import { TERMINAL_STATUSES } from '../lambda/contract/job-lifecycle';
import { OPERATIONS, type OperationSpec } from '../lambda/contract/operations';
import { acknowledge, acknowledgeWildcards, executionsOf } from './acknowledgements';
import { createExportJobsRestApi, type UsagePlanOptions } from './api/export-jobs-rest-api';
import { createServiceFunction } from './api/operation-function';
import type { FunctionDefaults } from './function-defaults';
import { TokenIssuer } from './auth/token-issuer';
import { ExportBucket } from './export-bucket';
import { acknowledgeKeyWrites, grantTable } from './grants';
import { IdempotencyTable } from './idempotency-table';
import { JobTable } from './job-table';
import { ProfileStore } from './profile-store';
import { validateServiceProps } from './service-props-validation';
import { ExportWorkflow } from './workflow/export-workflow';

export type { ApiKeyOptions, UsagePlanOptions } from './api/export-jobs-rest-api';

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
   * An existing profile table in the layout of `ProfileStore`.
   * @default - a new ProfileStore's profile table
   */
  readonly profileTable?: dynamodb.ITable;
  /**
   * An existing event table in the layout of `ProfileStore`.
   * @default - a new ProfileStore's event table
   */
  readonly eventTable?: dynamodb.ITable;
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
   * The merge policy recorded on a job whose request names none (the tenant's default).
   * @default { id: 'timestampOrdered-none-mp', version: 1 }
   */
  readonly defaultMergePolicy?: MergePolicyReference;
  /**
   * How long a retried POST with the same Idempotency-Key returns the first job.
   * @default Duration.hours(24)
   */
  readonly idempotencyTtl?: Duration;
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
   * Reserved concurrency of the export workers: a ceiling on what exports take from the
   * account's Lambda concurrency.
   * @default - no reservation
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
   * Reserved concurrency of each API function, a ceiling on what one noisy client can consume.
   * @default - no reservation (the account's unreserved pool)
   */
  readonly apiFunctionReservedConcurrency?: number;
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
   * What happens to the tables, bucket and log groups this construct creates when they leave
   * the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The Export Jobs service: the `/export/jobs` REST API (list, create, get, cancel/delete) behind
 * a JWT authorizer and API keys, one Lambda function per operation, the DynamoDB job table, the
 * Step Functions workflow that runs each job, the profile store it exports from, and the S3
 * bucket the batches are written to.
 */
export class ExportJobsService extends Construct {
  /** The REST API. Its URL is `api.url` (the stage root); the jobs live under `export/jobs`. */
  public readonly api: apigateway.RestApi;
  /** The job table (created, or the one passed in). */
  public readonly jobTable: dynamodb.ITable;
  /** The table of Idempotency-Key records. */
  public readonly idempotencyTable: dynamodb.ITable;
  /** The bucket the batches are written to (created, or the one passed in). */
  public readonly exportBucket: s3.IBucket;
  /** The profile table the exports read (created, or the one passed in). */
  public readonly profileTable: dynamodb.ITable;
  /** The event table the exports read (created, or the one passed in). */
  public readonly eventTable: dynamodb.ITable;
  /** The workflow that runs each job. */
  public readonly workflow: ExportWorkflow;
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
  public readonly listJobsFunction: lambda.IFunction;
  public readonly createJobFunction: lambda.IFunction;
  /** Answers GET /export/jobs/{id} (named so that it does not read as a Java getter). */
  public readonly retrieveJobFunction: lambda.IFunction;
  public readonly deleteJobFunction: lambda.IFunction;
  /** Starts the workflow of each new job, from the job table's stream. */
  public readonly startExportFunction: lambda.IFunction;
  /** Ends the job of an execution that failed, timed out or was stopped outside the workflow. */
  public readonly executionEndedFunction: lambda.IFunction;
  /** Records the starter and the watcher could not process after their retries. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The bus the "Export Job Ended" events go to. */
  public readonly jobEventBus: events.IEventBus;
  /** Puts an "Export Job Ended" event on the bus for each job that ends, from the job table's stream. */
  public readonly publishJobEventsFunction: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ExportJobsServiceProps = {}) {
    super(scope, id);
    validateServiceProps(props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const encryptionKey = props.encryptionKey;

    this.jobTable = props.jobTable ?? new JobTable(this, 'JobTable', { removalPolicy, encryptionKey }).table;
    if (!this.jobTable.tableStreamArn) {
      throw new Error('jobTable must have a NEW_IMAGE stream: import it with its tableStreamArn (see JobTable)');
    }
    this.idempotencyTable = new IdempotencyTable(this, 'IdempotencyTable', { encryptionKey }).table;
    this.exportBucket =
      props.exportBucket ?? new ExportBucket(this, 'ExportBucket', { removalPolicy, encryptionKey }).bucket;
    const profileStore =
      props.profileTable && props.eventTable
        ? undefined
        : new ProfileStore(this, 'ProfileStore', { removalPolicy, encryptionKey });
    this.profileTable = props.profileTable ?? profileStore!.profileTable;
    this.eventTable = props.eventTable ?? profileStore!.eventTable;

    const mergePolicy = props.defaultMergePolicy ?? { id: 'timestampOrdered-none-mp', version: 1 };
    const functionDefaults: FunctionDefaults = {
      memorySize: props.apiFunctionMemorySize ?? 512,
      timeout: Duration.seconds(10),
      logRetention,
      logRemovalPolicy: removalPolicy,
      reservedConcurrentExecutions: props.apiFunctionReservedConcurrency,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'export-jobs',
        POWERTOOLS_METRICS_NAMESPACE: 'ExportJobs',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        [ENVIRONMENT.jobTableName]: this.jobTable.tableName,
        [ENVIRONMENT.idempotencyTableName]: this.idempotencyTable.tableName,
        [ENVIRONMENT.exportBucketName]: this.exportBucket.bucketName,
        [ENVIRONMENT.defaultMergePolicyId]: mergePolicy.id,
        ...(mergePolicy.version !== undefined && {
          [ENVIRONMENT.defaultMergePolicyVersion]: String(mergePolicy.version),
        }),
        [ENVIRONMENT.idempotencyTtlSeconds]: String((props.idempotencyTtl ?? Duration.hours(24)).toSeconds()),
      },
    };

    this.workflow = new ExportWorkflow(this, 'Workflow', {
      jobTable: this.jobTable,
      profileTable: this.profileTable,
      eventTable: this.eventTable,
      exportBucket: this.exportBucket,
      functionDefaults,
      maxConcurrency: props.exportConcurrency ?? 16,
      pageSize: props.exportPageSize ?? 500,
      invocationBudget: props.exportInvocationBudget ?? Duration.minutes(10),
      gzipLevel: props.exportCompressionLevel ?? 1,
      workerTimeout: props.exportWorkerTimeout ?? Duration.minutes(15),
      workerMemorySize: props.exportWorkerMemorySize ?? 1024,
      workerReservedConcurrency: props.exportWorkerReservedConcurrency,
      timeout: props.workflowTimeout ?? Duration.hours(24),
      removalPolicy,
      logRetention,
    });
    const stateMachine = this.workflow.stateMachine;
    const withStateMachine: FunctionDefaults = {
      ...functionDefaults,
      environment: { ...functionDefaults.environment, [ENVIRONMENT.stateMachineArn]: stateMachine.stateMachineArn },
    };

    const functions = Object.fromEntries(
      OPERATIONS.map((operation) => [
        operation.operationId,
        createServiceFunction(
          this,
          `${pascalCase(operation.operationId)}Function`,
          operation.handler,
          withStateMachine,
          `${operation.method} ${operation.path}: ${operation.summary}`,
        ),
      ]),
    ) as Record<OperationSpec['operationId'], lambda.Function>;
    this.listJobsFunction = functions.listJobs;
    this.createJobFunction = functions.createJob;
    this.retrieveJobFunction = functions.getJob;
    this.deleteJobFunction = functions.deleteJob;
    this.grantApiFunctions(functions);
    stateMachine.grantExecution(functions.deleteJob, 'states:StopExecution');
    acknowledgeWildcards(
      functions.deleteJob.role!,
      [`${executionsOf(stateMachine)}:*`],
      "StopExecution on this state machine's executions only; their names are per job.",
    );

    const tokenIssuer = (props.tokenIssuer ?? TokenIssuer.cognito({ removalPolicy })).bind(this);
    this.userPool = tokenIssuer.userPool;
    this.userPoolClient = tokenIssuer.userPoolClient;
    const restApi = createExportJobsRestApi(this, {
      functions,
      tokenIssuer,
      orgsClaim: props.orgsClaim,
      sandboxesClaim: props.sandboxesClaim,
      authorizerCacheTtl: props.authorizerCacheTtl,
      usagePlans: props.usagePlans,
      webAclArn: props.webAclArn,
      stageName: props.apiStageName ?? 'v1',
      throttlingRateLimit: props.throttlingRateLimit ?? 100,
      throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
      validateRequestBodyAtGateway: props.validateRequestBodyAtGateway ?? false,
      functionDefaults,
      logRetention,
      removalPolicy,
    });
    this.api = restApi.api;
    this.accessLogGroup = restApi.accessLogGroup;
    this.authorizerFunction = restApi.authorizerFunction;
    this.usagePlans = restApi.usagePlans;
    this.apiKeys = restApi.apiKeys;

    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: encryptionKey ? sqs.QueueEncryption.KMS : sqs.QueueEncryption.SQS_MANAGED,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    acknowledge(
      deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of the starter and the watcher.',
    );
    this.deadLetterQueue = deadLetterQueue;

    const startExport = createServiceFunction(
      this,
      'StartExportFunction',
      'start-export',
      withStateMachine,
      'Starts the workflow of each new job',
    );
    stateMachine.grantStartExecution(startExport);
    grantTable(startExport, this.jobTable, ['dynamodb:UpdateItem'], { writes: true });
    // Retried until the record expires (a day): a job must not stay NEW because Step Functions
    // was unreachable for a while. Only an expired record reaches the queue.
    startExport.addEventSource(
      jobStreamSource(this.jobTable, deadLetterQueue, {
        eventName: lambda.FilterRule.isEqual('INSERT'),
        dynamodb: { NewImage: { jobType: { S: lambda.FilterRule.isEqual('BATCH') } } },
      }),
    );
    // Sending to the dead-letter queue encrypts with its key.
    if (encryptionKey) acknowledgeKeyWrites(startExport);
    this.startExportFunction = startExport;

    const executionEnded = createServiceFunction(
      this,
      'ExecutionEndedFunction',
      'execution-ended',
      functionDefaults,
      'Ends the job of an execution that ended abnormally',
    );
    grantTable(executionEnded, this.jobTable, ['dynamodb:UpdateItem'], { writes: true });
    new events.Rule(this, 'ExecutionEndedRule', {
      description: 'Export workflow executions that failed, timed out or were aborted',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [stateMachine.stateMachineArn] },
      },
      targets: [
        new targets.LambdaFunction(executionEnded, {
          deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    this.executionEndedFunction = executionEnded;

    this.jobEventBus = props.jobEventBus ?? events.EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');
    this.publishJobEventsFunction = this.createJobEventPublisher(functionDefaults, deadLetterQueue, encryptionKey);
  }

  /**
   * A rule on the job event bus that matches the "Export Job Ended" events (narrowed further by
   * `options.eventPattern`, e.g. `{ detail: { status: ['SUCCEEDED'] } }`), with `options.target`.
   */
  public onJobEnded(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, {
      eventBus: this.jobEventBus,
      description: options.description ?? 'Export jobs that ended',
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
      eventPattern: {
        ...options.eventPattern,
        source: [JOB_EVENTS.source],
        detailType: [JOB_EVENTS.jobEnded],
      },
    });
    if (options.target) rule.addTarget(options.target);
    return rule;
  }

  /** Lets `grantee` read the exported batches. */
  public grantReadExports(grantee: iam.IGrantable): iam.Grant {
    return this.exportBucket.grantRead(grantee);
  }

  /** Requests answered with a 5xx, per period. */
  public metricServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.api.metricServerError({ statistic: 'Sum', ...props });
  }

  /** Requests answered with a 4xx, per period. */
  public metricClientErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.api.metricClientError({ statistic: 'Sum', ...props });
  }

  /** End-to-end latency of the API as clients see it. */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.api.metricLatency({ statistic: 'p99', ...props });
  }

  /**
   * The function that turns a job's last change (a MODIFY to a terminal status, whichever
   * path ended it) into an event on the bus. Nothing changes a job once it has ended, so each
   * job yields one event (at least once: EventBridge consumers deduplicate by job).
   */
  private createJobEventPublisher(
    functionDefaults: FunctionDefaults,
    deadLetterQueue: sqs.IQueue,
    encryptionKey: kms.IKey | undefined,
  ): lambda.Function {
    const publisher = createServiceFunction(
      this,
      'PublishJobEventsFunction',
      'publish-job-events',
      {
        ...functionDefaults,
        environment: { ...functionDefaults.environment, [ENVIRONMENT.eventBusName]: this.jobEventBus.eventBusName },
      },
      'Puts an event on EventBridge when a job ends',
    );
    this.jobEventBus.grantPutEventsTo(publisher);
    publisher.addEventSource(
      jobStreamSource(this.jobTable, deadLetterQueue, {
        eventName: lambda.FilterRule.isEqual('MODIFY'),
        dynamodb: {
          NewImage: {
            jobType: { S: lambda.FilterRule.isEqual('BATCH') },
            status: { S: lambda.FilterRule.or(...TERMINAL_STATUSES) },
          },
        },
      }),
    );
    if (encryptionKey) acknowledgeKeyWrites(publisher);
    return publisher;
  }

  /**
   * Each API function gets the DynamoDB actions its operation performs on the job table (the
   * list function alone on its two indexes) and nothing else; the create function also uses
   * the idempotency table.
   */
  private grantApiFunctions(functions: Record<OperationSpec['operationId'], lambda.Function>): void {
    const jobTableActions: Record<OperationSpec['operationId'], string[]> = {
      listJobs: ['dynamodb:Query'],
      getJob: ['dynamodb:GetItem'],
      createJob: ['dynamodb:UpdateItem', 'dynamodb:PutItem'],
      deleteJob: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    };
    for (const operation of OPERATIONS) {
      grantTable(functions[operation.operationId], this.jobTable, jobTableActions[operation.operationId], {
        writes: operation.writes,
        ...(operation.operationId === 'listJobs' && { indexes: JobTable.INDEX_NAMES }),
      });
    }
    grantTable(
      functions.createJob,
      this.idempotencyTable,
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      {
        writes: true,
      },
    );
  }
}

/**
 * The job table's stream as an event source: the records that match `filter`, in batches of
 * 10, a failed record retried alone (bisect, partial batch responses) until it expires, then
 * sent to the dead-letter queue.
 */
function jobStreamSource(
  jobTable: dynamodb.ITable,
  deadLetterQueue: sqs.IQueue,
  filter: Record<string, unknown>,
): sources.DynamoEventSource {
  return new sources.DynamoEventSource(jobTable, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 10,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    onFailure: new sources.SqsDlq(deadLetterQueue),
    filters: [lambda.FilterCriteria.filter(filter)],
  });
}

function pascalCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
