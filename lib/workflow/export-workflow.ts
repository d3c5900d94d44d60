import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENVIRONMENT } from '../../lambda/adapters/job-table-layout';
import { JOB_NOT_RUNNING_ERROR, TRANSIENT_EXPORT_ERROR } from '../../lambda/contract/workflow';
import { acknowledgeWildcards, executionsOf, XRAY_REASON } from '../acknowledgements';
import { createServiceFunction } from '../api/operation-function';
import type { FunctionDefaults } from '../function-defaults';
import { grantObjectWrites, grantTable } from '../grants';

export interface ExportWorkflowProps {
  readonly jobTable: dynamodb.ITable;
  readonly profileTable: dynamodb.ITable;
  readonly eventTable: dynamodb.ITable;
  readonly exportBucket: s3.IBucket;
  /** Settings shared with the service's other functions (logging, environment). */
  readonly functionDefaults: FunctionDefaults;
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

/** Errors worth another attempt: throttling and transient faults of our code, Lambda itself or the worker's time. */
/** The part files and manifests of every batch, the only objects the workflow writes. */
const PART_FILES = '*/datasets/*/batches/*/part-*';
const MANIFEST_FILES = '*/datasets/*/batches/*/manifest.json';

const RETRYABLE = [
  TRANSIENT_EXPORT_ERROR,
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Sandbox.Timedout',
];

/**
 * The job lifecycle as a Standard state machine:
 *
 *   MarkProcessing (conditional DynamoDB update, no Lambda) → PlanExport → ExportShards
 *   (Distributed Map over the shards; each item loops ExportShardPage until its shard is done)
 *   → FinalizeExport (manifests, metrics, SUCCEEDED) ; any failure → FailExport (FAILED with
 *   errors[]) → ExportFailed.
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
      [ENVIRONMENT.exportPageSize]: String(props.pageSize),
      [ENVIRONMENT.exportInvocationBudgetMs]: String(props.invocationBudget.toMilliseconds()),
      [ENVIRONMENT.exportGzipLevel]: String(props.gzipLevel),
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
    this.finalizeFunction = createServiceFunction(
      this,
      'FinalizeExportFunction',
      'finalize-export',
      stepDefaults,
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
    const invoke = (stateId: string, fn: lambda.Function, resultPath: string | undefined) =>
      new tasks.LambdaInvoke(this, stateId, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath,
        taskTimeout: taskTimeout(fn),
      }).addRetry({
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
    const failExport = invoke('FailExport', this.failFunction, sfn.JsonPath.DISCARD).next(exportFailed);
    const failedAt = (state: string) =>
      new sfn.Pass(this, `${state}Failed`, {
        parameters: { 'job.$': '$.job', 'keys.$': '$.keys', 'error.$': '$.error', failedState: state },
      }).next(failExport);
    const notRunning = new sfn.Succeed(this, 'JobNotRunning', {
      comment: 'Cancelled or deleted before the export started.',
    });

    const markProcessing = new tasks.DynamoUpdateItem(this, 'MarkProcessing', {
      table: props.jobTable,
      key: {
        pk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.keys.pk')),
        sk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.keys.sk')),
      },
      updateExpression:
        'SET #status = :processing, tenantStatus = :tenantStatus, ' +
        '#metrics.totalExportedProfileCounter = if_not_exists(#metrics.totalExportedProfileCounter, :zero), ' +
        '#metrics.exportedProfileByNamespaceCounter = if_not_exists(#metrics.exportedProfileByNamespaceCounter, :none)',
      // Only this job's own execution may run it (a re-run of the same execution may resume it).
      conditionExpression: '#status IN (:new, :processing) AND computeGatewayJobId.exportJob = :execution',
      // "metrics" is a DynamoDB reserved word.
      expressionAttributeNames: { '#status': 'status', '#metrics': 'metrics' },
      expressionAttributeValues: {
        ':new': tasks.DynamoAttributeValue.fromString('NEW'),
        ':processing': tasks.DynamoAttributeValue.fromString('PROCESSING'),
        ':tenantStatus': tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format('{}#PROCESSING', sfn.JsonPath.stringAt('$.keys.pk')),
        ),
        ':zero': tasks.DynamoAttributeValue.fromNumber(0),
        ':none': tasks.DynamoAttributeValue.fromMap({}),
        ':execution': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
    })
      .addRetry({
        errors: [
          'DynamoDB.ProvisionedThroughputExceededException',
          'DynamoDB.ThrottlingException',
          'DynamoDB.InternalServerErrorException',
          'DynamoDB.RequestLimitExceeded',
        ],
        interval: Duration.seconds(1),
        maxAttempts: 5,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      })
      .addCatch(notRunning, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: sfn.JsonPath.DISCARD })
      .addCatch(failedAt('MarkProcessing'), { errors: ['States.ALL'], resultPath: '$.error' });

    const plan = invoke('PlanExport', this.planFunction, '$.plan')
      .addCatch(notRunning, { errors: [JOB_NOT_RUNNING_ERROR], resultPath: sfn.JsonPath.DISCARD })
      .addCatch(failedAt('PlanExport'), { errors: ['States.ALL'], resultPath: '$.error' });

    const exportShardPage = invoke('ExportShardPage', this.exportShardFunction, undefined);
    const shardDone = new sfn.Choice(this, 'ShardDone')
      .when(sfn.Condition.booleanEquals('$.done', true), new sfn.Succeed(this, 'ShardExported'))
      .otherwise(exportShardPage);
    const exportShards = new sfn.DistributedMap(this, 'ExportShards', {
      itemsPath: '$.plan.shards',
      itemSelector: { 'job.$': '$.job', 'keys.$': '$.keys', 'shard.$': '$$.Map.Item.Value', sequence: 0 },
      maxConcurrency: props.maxConcurrency,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      toleratedFailurePercentage: 0,
      resultPath: sfn.JsonPath.DISCARD,
    })
      .itemProcessor(exportShardPage.next(shardDone))
      .addCatch(failedAt('ExportShards'), { errors: ['States.ALL'], resultPath: '$.error' });

    const finalize = invoke('FinalizeExport', this.finalizeFunction, '$.finalize')
      .addCatch(failedAt('FinalizeExport'), { errors: ['States.ALL'], resultPath: '$.error' })
      .next(new sfn.Succeed(this, 'ExportFinished'));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Export Jobs: NEW → PROCESSING → SUCCEEDED | FAILED | CANCELLED',
      definitionBody: sfn.DefinitionBody.fromChainable(markProcessing.next(plan).next(exportShards).next(finalize)),
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
    grantTable(this.planFunction, props.profileTable, ['dynamodb:Query']);
    grantTable(this.exportShardFunction, props.profileTable, ['dynamodb:Query']);
    grantTable(this.exportShardFunction, props.eventTable, ['dynamodb:Query']);
    grantTable(this.exportShardFunction, props.jobTable, ['dynamodb:PutItem', 'dynamodb:UpdateItem'], { writes: true });
    grantObjectWrites(this.exportShardFunction, props.exportBucket, PART_FILES);
    grantTable(this.finalizeFunction, props.jobTable, ['dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:Query'], {
      writes: true,
    });
    grantObjectWrites(this.finalizeFunction, props.exportBucket, MANIFEST_FILES);
    grantTable(this.failFunction, props.jobTable, ['dynamodb:UpdateItem'], { writes: true });
    const batchKeysReason =
      'Object keys of batches, <org>/<sandbox>/datasets/<datasetId>/batches/<batchId>/, are per job: the narrowest grant is by file pattern.';
    acknowledgeWildcards(
      this.exportShardFunction.role!,
      [props.exportBucket.arnForObjects(PART_FILES)],
      batchKeysReason,
    );
    acknowledgeWildcards(
      this.finalizeFunction.role!,
      [props.exportBucket.arnForObjects(MANIFEST_FILES)],
      batchKeysReason,
    );
  }
}
