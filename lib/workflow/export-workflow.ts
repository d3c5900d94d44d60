import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BATCH_OBJECT_PATTERNS } from '../../lambda/contract/batch-layout';
import { ENVIRONMENT } from '../../lambda/contract/environment';
import type { QueryCatalogKind } from '../../lambda/contract/query-catalog';
import { UPDATE_TIME_INDEX } from '../../lambda/contract/profile-store';
import { JOB_NOT_RUNNING_ERROR, TRANSIENT_EXPORT_ERROR, WORKFLOW_STATES } from '../../lambda/contract/workflow';
import { acknowledgeWildcards, executionsOf, XRAY_REASON } from '../acknowledgements';
import { createServiceFunction } from '../api/operation-function';
import type { FunctionDefaults } from '../function-defaults';
import { acknowledgeBatchFilePatterns, grantObjectDeletes, grantObjectWrites, grantTable } from '../grants';
import type { DatasetQuery } from '../query/dataset-query';

export interface ExportWorkflowProps {
  readonly jobTable: dynamodb.ITable;
  readonly profileTable: dynamodb.ITable;
  readonly eventTable: dynamodb.ITable;
  /**
   * The membership index (see MembershipIndex): exports that list segments read only their
   * members through it.
   * @default - none: exports that list segments read every profile
   */
  readonly membershipIndexTable?: dynamodb.ITable;
  /**
   * The config table (see ConfigTable): the export workers read the segment definitions of a
   * job that evaluates segments at export (`evaluationInfo.segmentation`) from it, by key.
   * @default - none: a job that evaluates segments fails, saying it cannot read the definitions
   */
  readonly configTable?: dynamodb.ITable;
  readonly exportBucket: s3.IBucket;
  /**
   * The Glue database in which the finalizer registers each complete batch as a partition of
   * its dataset's table (see DatasetQuery).
   * @default - none: batches are registered nowhere (QUERY_CATALOG=none)
   */
  readonly datasetQuery?: DatasetQuery;
  /** Settings shared with the service's other functions (logging, environment). */
  readonly functionDefaults: FunctionDefaults;
  /** The shard count of a tenant's store without a layout (ExportJobsServiceProps.profileStoreShards). */
  readonly profileStoreShards: number;
  readonly maxConcurrency: number;
  readonly pageSize: number;
  readonly invocationBudget: Duration;
  readonly gzipLevel: number;
  readonly workerTimeout: Duration;
  readonly workerMemorySize: number;
  readonly workerReservedConcurrency?: number;
  readonly timeout: Duration;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: logs.RetentionDays;
}

/** Errors worth another attempt: transient faults of our code, Lambda itself or the worker's time. */
const RETRYABLE = [
  TRANSIENT_EXPORT_ERROR,
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Sandbox.Timedout',
];

/** Where CloudWatch Logs expects the logs of Step Functions: see vendedLogGroupName. */
export const STATE_MACHINE_LOG_GROUP_PREFIX = '/aws/vendedlogs/states/';

/**
 * A log group name under `/aws/vendedlogs/states/`, unique to this construct in its stack.
 * Step Functions delivers logs as "vended logs": outside this prefix each log group must be
 * added to the account's CloudWatch Logs resource policy, whose 5,120-character limit fills up
 * in busy accounts and then fails the state machine's creation. The name is derived from the
 * construct path (no hard-coded physical name), so two stacks never share it.
 */
function vendedLogGroupName(scope: Construct): string {
  return `${STATE_MACHINE_LOG_GROUP_PREFIX}${Names.uniqueResourceName(scope, { maxLength: 256, separator: '-' })}`;
}

/**
 * The job lifecycle as a Standard state machine:
 *
 *   PlanExport (NEW → PROCESSING for this execution only; the shards) → ExportShards
 *   (Distributed Map over the shards; each item loops ExportShardPage until its shard is done)
 *   → FinalizeExport (manifests, each complete batch a partition of its dataset's table,
 *   metrics, SUCCEEDED) ; any failure → FailExport (FAILED with
 *   errors[]) → ExportFailed.
 *
 * The state machine writes no job item itself: each step's function does, through the one
 * adapter that owns the job item, so keys and statuses are written in one place.
 *
 * It uses only what also runs locally (JSONPath, no JSONata, no Variables, no S3 item reader).
 */
export class ExportWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly planFunction: lambda.Function;
  public readonly exportShardFunction: lambda.Function;
  public readonly finalizeFunction: lambda.Function;
  public readonly failFunction: lambda.Function;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ExportWorkflowProps) {
    super(scope, id);
    const environment = {
      ...props.functionDefaults.environment,
      [ENVIRONMENT.profileTableName]: props.profileTable.tableName,
      [ENVIRONMENT.eventTableName]: props.eventTable.tableName,
      [ENVIRONMENT.profileStoreShards]: String(props.profileStoreShards),
      [ENVIRONMENT.exportPageSize]: String(props.pageSize),
      [ENVIRONMENT.exportInvocationBudgetMs]: String(props.invocationBudget.toMilliseconds()),
      [ENVIRONMENT.exportGzipLevel]: String(props.gzipLevel),
      ...(props.membershipIndexTable && {
        [ENVIRONMENT.membershipIndexTableName]: props.membershipIndexTable.tableName,
      }),
      ...(props.configTable && { [ENVIRONMENT.configTableName]: props.configTable.tableName }),
    };
    const stepDefaults = { ...props.functionDefaults, environment };
    const workerDefaults = {
      ...stepDefaults,
      timeout: props.workerTimeout,
      memorySize: props.workerMemorySize,
      reservedConcurrentExecutions: props.workerReservedConcurrency,
    };
    this.planFunction = createServiceFunction(
      this,
      'PlanExportFunction',
      'plan-export',
      stepDefaults,
      'Export workflow: plan the shards',
    );
    this.exportShardFunction = createServiceFunction(
      this,
      'ExportShardFunction',
      'export-shard',
      workerDefaults,
      'Export workflow: export one shard',
    );
    const catalog: QueryCatalogKind = props.datasetQuery ? 'glue' : 'none';
    this.finalizeFunction = createServiceFunction(
      this,
      'FinalizeExportFunction',
      'finalize-export',
      {
        ...stepDefaults,
        environment: {
          ...environment,
          [ENVIRONMENT.queryCatalog]: catalog,
          ...(props.datasetQuery && { [ENVIRONMENT.queryDatabaseName]: props.datasetQuery.databaseName }),
        },
      },
      'Export workflow: manifests and SUCCEEDED',
    );
    this.failFunction = createServiceFunction(
      this,
      'FailExportFunction',
      'fail-export',
      stepDefaults,
      'Export workflow: FAILED with errors',
    );
    this.grantLeastPrivilege(props);

    const taskTimeout = (fn: { timeout?: Duration }) =>
      sfn.Timeout.duration((fn.timeout ?? Duration.seconds(10)).plus(Duration.seconds(30)));
    // resultPath undefined keeps the default ("$": the result replaces the input).
    const invoke = (stateId: string, fn: lambda.Function, resultPath: string | undefined, payload?: sfn.TaskInput) =>
      new tasks.LambdaInvoke(this, stateId, {
        lambdaFunction: fn,
        payload,
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath,
        taskTimeout: taskTimeout(fn),
      })
        // Throttling is waited out, not failed: the workers' reserved concurrency is a ceiling
        // shared by every running job, and a worker holds its slot for up to the invocation
        // budget. Up to 30 attempts, at most 5 minutes apart: up to about 2 hours of waiting
        // (half that on average, with full jitter) before the job fails.
        .addRetry({
          errors: ['Lambda.TooManyRequestsException'],
          interval: Duration.seconds(5),
          maxAttempts: 30,
          backoffRate: 2,
          maxDelay: Duration.minutes(5),
          jitterStrategy: sfn.JitterType.FULL,
        })
        .addRetry({
          errors: RETRYABLE,
          interval: Duration.seconds(2),
          maxAttempts: 6,
          backoffRate: 2,
          jitterStrategy: sfn.JitterType.FULL,
        });

    const exportFailed = new sfn.Fail(this, 'ExportFailed', {
      error: 'ExportFailed',
      cause: 'The job ended FAILED; see its errors.',
    });
    const failExport = invoke(WORKFLOW_STATES.failExport, this.failFunction, sfn.JsonPath.DISCARD).next(exportFailed);
    const failedAt = (state: string) =>
      new sfn.Pass(this, `${state}Failed`, {
        parameters: { 'job.$': '$.job', 'error.$': '$.error', failedState: state },
      }).next(failExport);
    const notRunning = new sfn.Succeed(this, 'JobNotRunning', {
      comment: 'Cancelled or deleted before the export started.',
    });

    // Only the job's own execution may move it to PROCESSING.
    const planInput = sfn.TaskInput.fromObject({
      job: sfn.JsonPath.objectAt('$.job'),
      executionId: sfn.JsonPath.stringAt('$$.Execution.Id'),
    });
    const plan = invoke(WORKFLOW_STATES.planExport, this.planFunction, '$.plan', planInput)
      .addCatch(notRunning, { errors: [JOB_NOT_RUNNING_ERROR], resultPath: sfn.JsonPath.DISCARD })
      .addCatch(failedAt(WORKFLOW_STATES.planExport), { errors: ['States.ALL'], resultPath: '$.error' });

    const exportShardPage = invoke(WORKFLOW_STATES.exportShardPage, this.exportShardFunction, undefined);
    // A child returns nothing ({}): the Map collects every child's output, and a shard task
    // (the job included) from each of up to MAX_PROFILE_STORE_SHARDS children could pass 256 KiB.
    const shardExported = new sfn.Succeed(this, 'ShardExported', { outputPath: sfn.JsonPath.DISCARD });
    const shardDone = new sfn.Choice(this, 'ShardDone')
      .when(sfn.Condition.booleanEquals('$.done', true), shardExported)
      .otherwise(exportShardPage);
    const exportShards = new sfn.DistributedMap(this, WORKFLOW_STATES.exportShards, {
      itemsPath: '$.plan.shards',
      // evaluatedAt: one instant for every shard of a job that evaluates segments.
      itemSelector: {
        'job.$': '$.job',
        'shard.$': '$$.Map.Item.Value',
        sequence: 0,
        'evaluatedAt.$': '$.plan.startedAt',
      },
      maxConcurrency: props.maxConcurrency,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      toleratedFailurePercentage: 0,
      resultPath: sfn.JsonPath.DISCARD,
    })
      .itemProcessor(exportShardPage.next(shardDone))
      .addCatch(failedAt(WORKFLOW_STATES.exportShards), { errors: ['States.ALL'], resultPath: '$.error' });

    const finalize = invoke(WORKFLOW_STATES.finalizeExport, this.finalizeFunction, '$.finalize')
      .addCatch(failedAt(WORKFLOW_STATES.finalizeExport), { errors: ['States.ALL'], resultPath: '$.error' })
      .next(new sfn.Succeed(this, 'ExportFinished'));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: vendedLogGroupName(this),
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Export Jobs: NEW → PROCESSING → SUCCEEDED | FAILED | CANCELLED',
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(exportShards).next(finalize)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: props.timeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeWildcards(
      this.stateMachine,
      [
        ...[this.planFunction, this.exportShardFunction, this.finalizeFunction, this.failFunction].map(
          (fn) => `${fn.functionArn}:*`,
        ),
        `${executionsOf(this.stateMachine)}:*`,
        `${executionsOf(this.stateMachine)}/*:*`,
      ],
      "Step Functions' own grants: the versions of each step's function (<function ARN>:*), and this state machine's executions (the Distributed Map's child runs).",
    );
    acknowledgeWildcards(this.stateMachine, ['*'], XRAY_REASON);
  }

  /** Each step function gets the actions it performs, on the resources it touches, nothing else. */
  private grantLeastPrivilege(props: ExportWorkflowProps): void {
    grantTable(this.planFunction, props.jobTable, ['dynamodb:UpdateItem'], { writes: true });
    // GetItem: the tenant's store layout (its occupied shards); Query: the probe of each shard of
    // a tenant written before layouts existed.
    grantTable(this.planFunction, props.profileTable, ['dynamodb:GetItem', 'dynamodb:Query']);
    // Every profile of a shard (Query), the profiles updated after an instant (Query of the
    // update-time index), the members of segments (Query of the index, BatchGetItem).
    grantTable(this.exportShardFunction, props.profileTable, ['dynamodb:Query'], {
      indexes: [UPDATE_TIME_INDEX.indexName],
    });
    grantTable(this.exportShardFunction, props.profileTable, ['dynamodb:BatchGetItem']);
    if (props.membershipIndexTable)
      grantTable(this.exportShardFunction, props.membershipIndexTable, ['dynamodb:Query']);
    grantTable(this.exportShardFunction, props.eventTable, ['dynamodb:Query']);
    if (props.configTable) grantTable(this.exportShardFunction, props.configTable, ['dynamodb:GetItem']);
    // GetItem: a retried step asks whether the job still runs before keeping its part file.
    grantTable(
      this.exportShardFunction,
      props.jobTable,
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      {
        writes: true,
      },
    );
    // Part files are multipart uploads (lib-storage): with SSE-KMS they need kms:Decrypt too.
    grantObjectWrites(this.exportShardFunction, props.exportBucket, BATCH_OBJECT_PATTERNS.partFiles, {
      multipart: true,
    });
    // DeleteObject: a part finished after its job ended is deleted by the worker that wrote it.
    grantObjectDeletes(this.exportShardFunction, props.exportBucket, [BATCH_OBJECT_PATTERNS.partFiles]);
    grantTable(this.finalizeFunction, props.jobTable, ['dynamodb:UpdateItem', 'dynamodb:Query'], {
      writes: true,
    });
    grantObjectWrites(this.finalizeFunction, props.exportBucket, BATCH_OBJECT_PATTERNS.manifests);
    props.datasetQuery?.grantRegisterBatches(this.finalizeFunction);
    grantTable(this.failFunction, props.jobTable, ['dynamodb:UpdateItem'], { writes: true });
    acknowledgeBatchFilePatterns(this.exportShardFunction, props.exportBucket, [BATCH_OBJECT_PATTERNS.partFiles]);
    acknowledgeBatchFilePatterns(this.finalizeFunction, props.exportBucket, [BATCH_OBJECT_PATTERNS.manifests]);
  }
}
