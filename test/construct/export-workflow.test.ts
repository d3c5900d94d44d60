import * as os from 'node:os';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { JobTable } from '../../lib/job-table';
import { JOB_NOT_RUNNING_ERROR, TRANSIENT_EXPORT_ERROR, WORKFLOW_STATES } from '../../lambda/contract/workflow';
import { CloudFormationTemplate } from '../../local/cloudformation-template';
import { taskStates, unsupportedLocalFeatures } from '../../local/step-functions/local-compatibility';
import { errorNamesIn, unknownErrorName } from './support/error-names';
import { dynamoDbActionsByTable, synthService } from './support/synth';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: object,
) => { isValid: boolean; errorsText: (separator?: string) => string };

/** The state machine definition, with its tokens resolved as CloudFormation would. */
function definitionOf(template: Template): { StartAt: string; States: Record<string, any>; TimeoutSeconds?: number } {
  const cfn = new CloudFormationTemplate(template.toJSON() as never, 'TestStack', os.tmpdir());
  const [[, stateMachine]] = cfn.ofType('AWS::StepFunctions::StateMachine');
  return JSON.parse(cfn.resolve(stateMachine.Properties!.DefinitionString));
}

function policyStatementsOf(
  template: Template,
  functionIdPrefix: string,
): Array<{ Action: string | string[]; Resource: unknown }> {
  const policies = template.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(functionIdPrefix));
  if (!entry) throw new Error(`No policy for ${functionIdPrefix}`);
  return entry[1].Properties.PolicyDocument.Statement;
}

describe('export workflow', () => {
  const { template } = synthService({ exportConcurrency: 24 });
  const definition = definitionOf(template);

  it('is a valid Standard state machine with a timeout, X-Ray and logging', () => {
    const validation = aslValidator(definition, { checkArn: false, checkPaths: true });
    expect(validation.errorsText('\n')).toBe('');
    expect(validation.isValid).toBe(true);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    expect(definition.TimeoutSeconds).toBe(24 * 60 * 60);
  });

  it('GIVEN the state machine WHEN its log group is synthesized THEN its name is under /aws/vendedlogs/states/ (no resource-policy entry per log group)', () => {
    const stateMachine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    const destination = stateMachine.Properties.LoggingConfiguration.Destinations[0];
    const logGroupId: string = destination.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    const logGroupName: string = template.toJSON().Resources[logGroupId].Properties.LogGroupName;
    expect(logGroupName).toMatch(/^\/aws\/vendedlogs\/states\/[A-Za-z0-9-]+$/);
    expect(logGroupName.length).toBeLessThanOrEqual(512);
  });

  it('GIVEN two stacks WHEN both are synthesized THEN their state machine log groups have different names', () => {
    const nameIn = (stackTemplate: Template) =>
      Object.values(stackTemplate.findResources('AWS::Logs::LogGroup'))
        .map((logGroup) => logGroup.Properties.LogGroupName as string | undefined)
        .find((name) => name?.startsWith('/aws/vendedlogs/states/'));
    const other = synthService({}, undefined, 'OtherStack').template;
    expect(nameIn(template)).toBeDefined();
    expect(nameIn(other)).not.toEqual(nameIn(template));
  });

  it('uses only what also runs locally (no JSONata, Variables, S3 item reader or result writer)', () => {
    expect(unsupportedLocalFeatures(definition)).toEqual([]);
  });

  it('refuses a definition that uses what the local stack cannot run', () => {
    expect(
      unsupportedLocalFeatures({
        QueryLanguage: 'JSONata',
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
          B: {
            Type: 'Map',
            ItemReader: { Resource: 'arn:aws:states:::s3:getObject' },
            ResultWriter: {},
            ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Task', Resource: 'x', ResultPath: '$', End: true } } },
            End: true,
          },
        },
      }),
    ).toEqual([
      '$: QueryLanguage JSONata',
      '$.States.A: Assign',
      '$.States.B: ItemReader',
      '$.States.B: ResultWriter',
      '$.States.B.ItemProcessor.States.C: ResultPath "$" (leave it out instead)',
    ]);
  });

  it('GIVEN the workflow WHEN it starts THEN PlanExport moves the job with the execution id, and the state machine writes no job item itself', () => {
    expect(definition.StartAt).toBe(WORKFLOW_STATES.planExport);
    expect(definition.States[definition.StartAt]).toMatchObject({
      Type: 'Task',
      // payloadResponseOnly: the parameters are the function's payload.
      Parameters: { 'job.$': '$.job', 'executionId.$': '$$.Execution.Id' },
      ResultPath: '$.plan',
      Catch: [
        { ErrorEquals: [JOB_NOT_RUNNING_ERROR], Next: 'JobNotRunning', ResultPath: null },
        { ErrorEquals: ['States.ALL'], Next: 'PlanExportFailed', ResultPath: '$.error' },
      ],
    });
    // Only the job-store adapter spells keys and statuses: no DynamoDB task in the definition.
    const resources = JSON.stringify(definition).match(/arn:aws:states:::[a-z]+:[a-zA-Z]+/g) ?? [];
    expect(resources.filter((resource) => resource.includes('dynamodb'))).toEqual([]);
  });

  it('GIVEN the state names of the contract WHEN the definition is synthesized THEN every one names a state', () => {
    const names = new Set([
      ...Object.keys(definition.States),
      ...Object.keys(definition.States.ExportShards.ItemProcessor.States),
    ]);
    for (const state of Object.values(WORKFLOW_STATES))
      expect({ state, present: names.has(state) }).toEqual({ state, present: true });
  });

  it('fans out over the planned shards with a Distributed Map whose concurrency is a prop', () => {
    expect(definition.States.ExportShards).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.plan.shards',
      MaxConcurrency: 24,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'ExportShardPage',
        States: {
          // A worker that runs out of time hands its cursor back: the item loops until done.
          ShardDone: {
            Type: 'Choice',
            Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'ShardExported' }],
            Default: 'ExportShardPage',
          },
          // A child returns {}, not its shard task (job included): the collected results stay tiny.
          ShardExported: { Type: 'Succeed', OutputPath: null },
        },
      },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'ExportShardsFailed', ResultPath: '$.error' }],
    });
  });

  it('retries throttling and transient errors with backoff, and gives every task a timeout', () => {
    for (const [name, state] of taskStates(definition)) {
      expect({ name, timeout: state.TimeoutSeconds > 0 }).toEqual({ name, timeout: true });
      expect({ name, retries: (state.Retry ?? []).length > 0 }).toEqual({ name, retries: true });
    }
    expect(definition.States.ExportShards.ItemProcessor.States.ExportShardPage.Retry).toEqual([
      // Throttling past the workers' reserved concurrency is waited out (about 2 hours at most).
      {
        ErrorEquals: ['Lambda.TooManyRequestsException'],
        IntervalSeconds: 5,
        MaxAttempts: 30,
        BackoffRate: 2,
        MaxDelaySeconds: 300,
        JitterStrategy: 'FULL',
      },
      expect.objectContaining({
        ErrorEquals: expect.arrayContaining(['TransientExportError', 'Sandbox.Timedout']),
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      }),
    ]);
  });

  it('GIVEN every Retry and Catch of the definition WHEN their error names are looked up THEN each is a States error, an exception of its service SDK model, or one the project raises', () => {
    const projectErrors = new Set([TRANSIENT_EXPORT_ERROR, JOB_NOT_RUNNING_ERROR]);
    const names = [...errorNamesIn(definition)];
    expect(names.length).toBeGreaterThan(5);
    expect(names.map((name) => unknownErrorName(name, projectErrors)).filter(Boolean)).toEqual([]);
  });

  it('GIVEN misspelt error names WHEN they are looked up THEN each is refused, saying why', () => {
    const none = new Set<string>();
    expect(unknownErrorName('DynamoDB.InternalServerError', none)).toBeUndefined();
    expect(unknownErrorName('Lambda.TooManyRequestsException', none)).toBeUndefined();
    expect(unknownErrorName('DynamoDB.InternalServerErrorException', none)).toBe(
      'DynamoDB.InternalServerErrorException: @aws-sdk/client-dynamodb exports no exception InternalServerErrorException',
    );
    expect(unknownErrorName('Lambda.TooManyRequestException', none)).toMatch(/client-lambda exports no exception/);
    expect(unknownErrorName('States.Timedout', none)).toBe('States.Timedout is not an error of the States language');
    expect(unknownErrorName('TransientExportErorr', none)).toMatch(/names neither a known service/);
  });

  it('ends every failure in FailExport, then a Fail state', () => {
    for (const failed of ['PlanExportFailed', 'ExportShardsFailed', 'FinalizeExportFailed']) {
      expect(definition.States[failed]).toMatchObject({ Type: 'Pass', Next: 'FailExport' });
    }
    expect(definition.States.FailExport.Next).toBe('ExportFailed');
    expect(definition.States.ExportFailed.Type).toBe('Fail');
  });

  it('starts each new job from the job table stream, with a filter, partial batch responses and a DLQ', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportJobsJobTable'), 'StreamArn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^ExportJobsJobStarterStartExportFunction') },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { jobType: { S: ['BATCH'] } } } }) },
        ],
      },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportJobsDeadLetterQueue'), 'Arn'] } },
      },
    });
  });

  it('ends the job of an execution that failed, timed out or was aborted outside the workflow', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ Ref: Match.stringLikeRegexp('StateMachine') }],
        },
      },
      Targets: [
        Match.objectLike({
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        }),
      ],
    });
  });

  it('grants each workflow function only what it uses', () => {
    const tables = (prefix: string) => dynamoDbActionsByTable(template, prefix);
    const [jobTable, profileTable, eventTable, membershipIndex, configTable] = [
      'JobTable',
      'ProfileStoreProfileTable',
      'ProfileStoreEventTable',
      'MembershipIndexTable',
      'ConfigTable',
    ].map((name) =>
      Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) => id.startsWith(`ExportJobs${name}`))!,
    );
    expect(tables('WorkflowPlanExportFunction')).toEqual({
      [jobTable]: ['dynamodb:UpdateItem'],
      [profileTable]: ['dynamodb:GetItem', 'dynamodb:Query'],
    });
    expect(tables('WorkflowExportShardFunction')).toEqual({
      [jobTable]: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      [profileTable]: ['dynamodb:BatchGetItem', 'dynamodb:Query'],
      [eventTable]: ['dynamodb:Query'],
      [membershipIndex]: ['dynamodb:Query'],
      // The definitions of a job that evaluates segments at export, by key.
      [configTable]: ['dynamodb:GetItem'],
    });
    // The indexer writes the index, reads the profile table's stream (the event source's own
    // grants), and updates the tenants' store layouts (their occupied shards) in the profile table.
    expect(tables('MembershipIndexIndexMembershipsFunction')).toEqual({
      [membershipIndex]: ['dynamodb:BatchWriteItem'],
      [profileTable]: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:UpdateItem',
      ],
      '"*"': ['dynamodb:ListStreams'],
    });
    expect(tables('WorkflowFinalizeExportFunction')).toEqual({
      [jobTable]: ['dynamodb:Query', 'dynamodb:UpdateItem'],
    });
    expect(tables('WorkflowFailExportFunction')).toEqual({ [jobTable]: ['dynamodb:UpdateItem'] });
    expect(tables('ExecutionWatcherExecutionEndedFunction')).toEqual({ [jobTable]: ['dynamodb:UpdateItem'] });

    const s3 = (prefix: string) =>
      policyStatementsOf(template, `ExportJobs${prefix}`)
        .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')))
        .map((statement) => ({
          actions: [statement.Action].flat().sort(),
          resource: JSON.stringify(statement.Resource),
        }));
    expect(s3('WorkflowExportShardFunction')).toEqual([
      {
        actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
        resource: expect.stringContaining('/*/datasets/*/batches/*/part-*'),
      },
      // A part finished after its job ended is deleted by its worker.
      { actions: ['s3:DeleteObject'], resource: expect.stringContaining('/*/datasets/*/batches/*/part-*') },
    ]);
    // The publisher empties the batch folders (and partition symlinks) of jobs that ended FAILED or CANCELLED.
    expect(s3('JobEventsPublishJobEventsFunction')).toEqual([
      {
        actions: ['s3:DeleteObject'],
        resource: expect.stringMatching(/part-\*.*manifest\.json.*_symlinks\/\*\/symlink\.txt/),
      },
      { actions: ['s3:ListBucket'], resource: expect.not.stringContaining('/*') },
    ]);
    // The manifests, and the symlink files of the dataset tables' partitions (DatasetQuery).
    expect(s3('WorkflowFinalizeExportFunction')).toEqual([
      expect.objectContaining({ resource: expect.stringContaining('/*/datasets/*/batches/*/manifest.json') }),
      {
        actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
        resource: expect.stringContaining('/*/datasets/*/_symlinks/*/symlink.txt'),
      },
    ]);
    for (const reader of [
      'ApiListJobsFunction',
      'ApiGetJobFunction',
      'WorkflowPlanExportFunction',
      'WorkflowFailExportFunction',
    ]) {
      expect(s3(reader)).toEqual([]);
    }
    const states = (prefix: string) =>
      policyStatementsOf(template, `ExportJobs${prefix}`)
        .flatMap((statement) => [statement.Action].flat())
        .filter((action) => action.startsWith('states:'));
    expect(states('JobStarterStartExportFunction')).toEqual(['states:StartExecution']);
    expect(states('ApiDeleteJobFunction')).toEqual(['states:StopExecution']);
    expect(states('ApiCreateJobFunction')).toEqual([]);
  });

  it('records the execution ARN on created jobs: the create function knows the state machine', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Description: Match.stringLikeRegexp('^POST /export/jobs'),
      Environment: {
        Variables: Match.objectLike({ STATE_MACHINE_ARN: { Ref: Match.stringLikeRegexp('StateMachine') } }),
      },
    });
  });

  it('refuses a job table without a stream', () => {
    expect(() =>
      synthService({}, (stack) => ({
        jobTable: dynamodb.Table.fromTableAttributes(stack, 'Jobs', {
          tableName: 'jobs',
          globalIndexes: JobTable.INDEX_NAMES,
        }),
      })),
    ).toThrow('jobTable must have a NEW_IMAGE stream');
  });

  it.each([
    [{ exportConcurrency: 0 }, 'exportConcurrency must be an integer from 1 to 10000, got 0'],
    [{ exportPageSize: 20000 }, 'exportPageSize must be an integer from 1 to 10000, got 20000'],
    [{ exportWorkerMemorySize: 128 }, 'exportWorkerMemorySize must be an integer from 256 to 10240 MiB, got 128'],
    [{ profileStoreShards: 0 }, 'profileStoreShards must be an integer from 1 to 1024, got 0'],
    [{ profileStoreShards: 2048 }, 'profileStoreShards must be an integer from 1 to 1024, got 2048'],
    [{ profileStoreShards: 12.5 }, 'profileStoreShards must be an integer from 1 to 1024, got 12.5'],
  ])('refuses %j', (props, message) => {
    expect(() => synthService(props)).toThrow(message);
  });
});
