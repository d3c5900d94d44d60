import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CreateJobRequestSchema } from '../../lambda/contract/create-job-request';
import { OPERATIONS } from '../../lambda/contract/operations';
import { toPlainJsonSchema } from '../../lambda/contract/schema-helpers';
import { JobTable } from '../../lib/job-table';
import { dynamoDbActionsByTable, synthService } from './support/synth';

describe('ExportJobsService', () => {
  describe('job table', () => {
    it('is on-demand, point-in-time recoverable, encrypted, keyed by tenant and retained by default', () => {
      const { template } = synthService();
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('has the newest-first indexes that make a page cost O(limit)', () => {
      const { template } = synthService();
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byCreationTime',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'createdOrder', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'byStatus',
            KeySchema: [
              { AttributeName: 'tenantStatus', KeyType: 'HASH' },
              { AttributeName: 'createdOrder', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
    });

    it('keeps Idempotency-Key records in their own table with a TTL', () => {
      const { template } = synthService();
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });
  });

  describe('export bucket', () => {
    it('is private, TLS only, encrypted, and cleans up incomplete multipart uploads', () => {
      const { template } = synthService();
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' })],
        },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('functions', () => {
    it('creates one function per handler: Node.js 24 on ARM64, X-Ray, its own log group', () => {
      const { template } = synthService();
      // One per handler (the five routes of a config resource share one), the authorizer,
      // four workflow steps, the starter, the execution watcher and the job event publisher.
      const handlers = new Set(OPERATIONS.map((operation) => operation.handler));
      template.resourceCountIs('AWS::Lambda::Function', handlers.size + 9);
      template.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: Match.anyValue() },
      });
      for (const operation of OPERATIONS) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          Description: Match.stringLikeRegexp(
            `(^|, )${operation.method} ${operation.path.replace(/[{}]/g, '.')}(:|,|$)`,
          ),
          Timeout: 10,
          MemorySize: 512,
        });
      }
    });

    it('passes the table, idempotency table and bucket names to every function', () => {
      const { template } = synthService();
      template.allResourcesProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            JOB_TABLE_NAME: { Ref: Match.stringLikeRegexp('^ExportJobsJobTable') },
            IDEMPOTENCY_TABLE_NAME: { Ref: Match.stringLikeRegexp('^ExportJobsIdempotencyTable') },
            EXPORT_BUCKET_NAME: { Ref: Match.stringLikeRegexp('^ExportJobsExportBucket') },
            DEFAULT_MERGE_POLICY_ID: 'timestampOrdered-none-mp',
            POWERTOOLS_SERVICE_NAME: 'export-jobs',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
          }),
        },
      });
    });

    it('grants each function exactly the DynamoDB actions of its operation', () => {
      const { template } = synthService();
      const jobTable = (actions: string[]) => ({
        [Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) =>
          id.startsWith('ExportJobsJobTable'),
        )!]: actions,
      });
      expect(dynamoDbActionsByTable(template, 'ApiListJobsFunction')).toEqual(jobTable(['dynamodb:Query']));
      expect(dynamoDbActionsByTable(template, 'ApiGetJobFunction')).toEqual(jobTable(['dynamodb:GetItem']));
      expect(dynamoDbActionsByTable(template, 'ApiDeleteJobFunction')).toEqual(
        jobTable(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']),
      );
      const datasetTable = Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) =>
        id.startsWith('ExportJobsDatasetTable'),
      )!;
      const create = dynamoDbActionsByTable(template, 'ApiCreateJobFunction');
      expect(Object.values(create)).toEqual([
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        ['dynamodb:GetItem'],
        ['dynamodb:GetItem'],
        ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      ]);
      expect(create[datasetTable]).toEqual(['dynamodb:GetItem']);
      const configTableId = Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) =>
        id.startsWith('ExportJobsConfigTable'),
      )!;
      // The job's merge policy: the one it names, or the tenant's default.
      expect(create[configTableId]).toEqual(['dynamodb:GetItem']);
      const configTable = (actions: string[]) => ({ [configTableId]: actions });
      expect(dynamoDbActionsByTable(template, 'ApiMergePoliciesFunction')).toEqual(
        configTable(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
      );
      expect(dynamoDbActionsByTable(template, 'ApiSegmentDefinitionsFunction')).toEqual(
        configTable(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
      );
      expect(dynamoDbActionsByTable(template, 'ApiCreateDatasetFunction')).toEqual({
        [datasetTable]: ['dynamodb:PutItem'],
      });
      expect(dynamoDbActionsByTable(template, 'ApiGetDatasetFunction')).toEqual({
        [datasetTable]: ['dynamodb:GetItem'],
      });
      expect(dynamoDbActionsByTable(template, 'ApiListDatasetsFunction')).toEqual({
        [datasetTable]: ['dynamodb:Query'],
      });
    });

    it('GIVEN the defaults WHEN synthesized THEN the dataset table is keyed by tenant and id, on demand, recoverable, retained, without indexes or streams', () => {
      const { template } = synthService();
      const [table] = Object.entries(template.findResources('AWS::DynamoDB::Table')).filter(([id]) =>
        id.startsWith('ExportJobsDatasetTable'),
      );
      expect(table[1]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(table[1].Properties).toEqual({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ DATASET_TABLE_NAME: { Ref: table[0] } }) },
      });
    });

    it('GIVEN the operations WHEN synthesized THEN only the functions that read batches back may use S3, and only to get objects', () => {
      const { template } = synthService();
      const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
      const s3ActionsOf = (functionName: string) => [
        ...new Set(
          policies
            .filter(([id]) => id.startsWith(`ExportJobsApi${functionName}Function`))
            .flatMap(([, policy]) =>
              policy.Properties.PolicyDocument.Statement.flatMap((statement: { Action: string | string[] }) =>
                [statement.Action].flat(),
              ),
            )
            .filter((action: string) => action.startsWith('s3:')),
        ),
      ];
      for (const operation of OPERATIONS) {
        // The routes of a config resource share one function, named after its handler.
        const shared = OPERATIONS.filter((other) => other.handler === operation.handler).length > 1;
        const id = shared
          ? operation.handler.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
          : operation.operationId;
        const functionName = id[0].toUpperCase() + id.slice(1);
        expect({ functionName, s3: s3ActionsOf(functionName) }).toEqual({
          functionName,
          s3: operation.readsBatchObjects ? ['s3:GetObject'] : [],
        });
      }
    });
  });

  describe('REST API', () => {
    it('routes every operation (the jobs, datasets, batch files, merge policies and segment definitions) to its function through Lambda proxy', () => {
      const { template } = synthService();
      template.resourceCountIs('AWS::ApiGateway::Method', OPERATIONS.length);
      const functionOf = (operation: (typeof OPERATIONS)[number]) =>
        OPERATIONS.filter((other) => other.handler === operation.handler).length === 1
          ? operation.operationId
          : operation.handler.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
      for (const operation of OPERATIONS) {
        const name = functionOf(operation);
        template.hasResourceProperties('AWS::ApiGateway::Method', {
          HttpMethod: operation.method,
          OperationName: operation.operationId,
          Integration: {
            Type: 'AWS_PROXY',
            Uri: {
              'Fn::Join': [
                '',
                Match.arrayWith([
                  {
                    'Fn::GetAtt': [
                      Match.stringLikeRegexp(`^ExportJobsApi${name.charAt(0).toUpperCase()}${name.slice(1)}Function`),
                      'Arn',
                    ],
                  },
                ]),
              ],
            },
          },
        });
      }
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{id}' });
    });

    it('validates POST and PATCH bodies with models generated from the schemas the handlers use', () => {
      const { template } = synthService();
      const models = template.findResources('AWS::ApiGateway::Model');
      const bodies = [...new Set(OPERATIONS.flatMap((operation) => operation.requestBody ?? []))];
      expect(Object.values(models).map((model) => model.Properties.Schema)).toEqual(
        bodies.map((schema) => toPlainJsonSchema(schema)),
      );
      expect(bodies[0]).toBe(CreateJobRequestSchema);
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('CreateJobRequestModel') } },
        RequestValidatorId: { Ref: Match.stringLikeRegexp('RequestValidator') },
      });
      template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestParameters: true,
        ValidateRequestBody: false,
      });
    });

    it('lets API Gateway validate bodies too when asked', () => {
      const { template } = synthService({ validateRequestBodyAtGateway: true });
      template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    });

    it('throttles the stage, traces it and writes JSON access logs', () => {
      const { template } = synthService({ throttlingRateLimit: 25, throttlingBurstLimit: 50, apiStageName: 'staging' });
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'staging',
        TracingEnabled: true,
        MethodSettings: [
          Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 }),
        ],
        AccessLogSetting: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportJobsApiAccessLogs'), 'Arn'] },
          Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
        },
      });
    });

    it("GIVEN basePath '/data/core/ups' WHEN synthesized THEN every route is mounted under it, and nothing is left at the stage root", () => {
      const { template, service } = synthService({ basePath: '/data/core/ups' });
      expect(service.exportJobsApi.basePath).toBe('/data/core/ups');
      const resources = template.findResources('AWS::ApiGateway::Resource');
      const pathOf = (logicalId: string): string => {
        const { ParentId, PathPart } = resources[logicalId].Properties;
        return ParentId.Ref ? `${pathOf(ParentId.Ref)}/${PathPart}` : `/${PathPart}`;
      };
      const paths = Object.keys(resources).map(pathOf).sort();
      expect(paths).toEqual(
        [
          '/data',
          '/data/core',
          '/data/core/ups',
          '/data/core/ups/config',
          '/data/core/ups/config/mergePolicies',
          '/data/core/ups/config/mergePolicies/{id}',
          '/data/core/ups/dataSets',
          '/data/core/ups/dataSets/{id}',
          '/data/core/ups/export',
          '/data/core/ups/export/batches',
          '/data/core/ups/export/batches/{batchId}',
          '/data/core/ups/export/batches/{batchId}/files',
          '/data/core/ups/export/files',
          '/data/core/ups/export/files/{dataSetFileId}',
          '/data/core/ups/export/jobs',
          '/data/core/ups/export/jobs/{id}',
          '/data/core/ups/segment',
          '/data/core/ups/segment/definitions',
          '/data/core/ups/segment/definitions/{id}',
        ].sort(),
      );
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map(
        (method) =>
          `${method.Properties.HttpMethod} ${method.Properties.ResourceId.Ref ? pathOf(method.Properties.ResourceId.Ref) : '/'}`,
      );
      expect(methods.sort()).toEqual(
        OPERATIONS.map((operation) => `${operation.method} /data/core/ups${operation.path}`).sort(),
      );
      template.hasResourceProperties('AWS::ApiGateway::Resource', {
        PathPart: 'data',
        ParentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportJobsApi'), 'RootResourceId'] },
      });
    });

    it('GIVEN the defaults WHEN synthesized THEN it sets the account’s API Gateway CloudWatch role before the stage, and keeps it on delete', () => {
      const { template } = synthService();
      const [[accountId, account]] = Object.entries(template.findResources('AWS::ApiGateway::Account'));
      const roleId: string = account.Properties.CloudWatchRoleArn['Fn::GetAtt'][0];
      const role = template.toJSON().Resources[roleId];
      expect(role).toMatchObject({
        Type: 'AWS::IAM::Role',
        DeletionPolicy: 'Retain',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [expect.objectContaining({ Principal: { Service: 'apigateway.amazonaws.com' } })],
          },
        },
      });
      expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toMatch(
        /AmazonAPIGatewayPushToCloudWatchLogs"\]\]\}\]$/,
      );
      expect(account.DeletionPolicy).toBe('Retain');
      // The stage that writes access logs is created only once the account setting exists.
      const [stage] = Object.values(template.findResources('AWS::ApiGateway::Stage'));
      expect(stage.Properties.AccessLogSetting).toBeDefined();
      expect([stage.DependsOn].flat()).toContain(accountId);
    });

    it('GIVEN apiGatewayCloudWatchRole false WHEN synthesized THEN the account setting is left alone and access logs stay on', () => {
      const { template } = synthService({ apiGatewayCloudWatchRole: false });
      template.resourceCountIs('AWS::ApiGateway::Account', 0);
      expect(
        template.findResources('AWS::IAM::Role', {
          Properties: {
            AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] },
          },
        }),
      ).toEqual({});
      template.hasResourceProperties('AWS::ApiGateway::Stage', { AccessLogSetting: Match.objectLike({}) });
    });

    it('answers its own errors as application/problem+json, unknown routes with 404, throttling with Retry-After', () => {
      const { template } = synthService();
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
        StatusCode: '404',
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Content-Type': "'application/problem+json'" }),
      });
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'THROTTLED',
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"status":429') },
      });
      for (const response of Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'))) {
        const body = response.Properties.ResponseTemplates['application/json'] as string;
        // Valid JSON once API Gateway substitutes the (quoted) message and the request id.
        expect(() =>
          JSON.parse(
            body
              .replaceAll('$context.error.messageString', '"a \\"quoted\\" message"')
              .replaceAll('$context.requestId', 'r'),
          ),
        ).not.toThrow();
      }
    });

    it('GIVEN any 4xx API Gateway answers itself (404, 413, 429…) WHEN its problem is rendered THEN errors[] says what is wrong', () => {
      const { template } = synthService();
      const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
      const rendered = responses.map((response) => ({
        type: response.Properties.ResponseType as string,
        body: JSON.parse(
          (response.Properties.ResponseTemplates['application/json'] as string)
            .replaceAll('$context.error.messageString', '"Request Too Long"')
            .replaceAll('$context.requestId', 'r'),
        ),
      }));
      const clientErrors = rendered.filter(({ body }) => body.status < 500);
      expect(clientErrors.map(({ type }) => type)).toEqual(
        expect.arrayContaining(['MISSING_AUTHENTICATION_TOKEN', 'RESOURCE_NOT_FOUND', 'REQUEST_TOO_LARGE']),
      );
      for (const { body } of clientErrors) {
        expect(body.errors).toEqual([{ path: '', code: expect.any(String), message: expect.any(String) }]);
      }
    });

    it('GIVEN a function at its concurrency limit or slower than 29 s THEN API Gateway answers 429 with Retry-After or 504, as problems', () => {
      const { template } = synthService();
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'INTEGRATION_FAILURE',
        StatusCode: '429',
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
      });
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'INTEGRATION_TIMEOUT',
        StatusCode: '504',
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"status":504') },
      });
    });
  });

  describe('bring your own resources', () => {
    it('uses an existing job table, dataset table and bucket instead of creating them', () => {
      const { template, service } = synthService({}, (stack) => ({
        jobTable: dynamodb.Table.fromTableAttributes(stack, 'Jobs', {
          tableName: 'existing-jobs',
          globalIndexes: JobTable.INDEX_NAMES,
          tableStreamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/existing-jobs/stream/2026-01-01T00:00:00.000',
        }),
        datasetTable: dynamodb.Table.fromTableName(stack, 'Datasets', 'existing-datasets'),
        exportBucket: s3.Bucket.fromBucketName(stack, 'Exports', 'existing-exports'),
      }));
      // The only bucket created is the Athena workgroup's results bucket (query.resultsBucket brings one).
      expect(Object.keys(template.findResources('AWS::S3::Bucket'))).toEqual([
        expect.stringMatching(/^ExportJobsQueryResultsBucket/),
      ]);
      template.resourceCountIs('AWS::DynamoDB::Table', 5); // idempotency, config, profile, event and membership index tables
      expect(service.exportBucket.bucketName).toBe('existing-exports');
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            JOB_TABLE_NAME: 'existing-jobs',
            DATASET_TABLE_NAME: 'existing-datasets',
            EXPORT_BUCKET_NAME: 'existing-exports',
          }),
        },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'dynamodb:Query',
              Resource: Match.arrayWith([
                {
                  'Fn::Join': [
                    '',
                    Match.arrayWith([Match.stringLikeRegexp('table/existing-jobs/index/byCreationTime')]),
                  ],
                },
              ]),
            }),
          ]),
        },
      });
    });

    it('exposes every resource it creates', () => {
      const { service } = synthService();
      expect(service.api).toBeDefined();
      expect(service.jobTable).toBeDefined();
      expect(service.idempotencyTable).toBeDefined();
      expect(service.exportBucket).toBeDefined();
      expect(service.accessLogGroup).toBeDefined();
      for (const fn of [
        service.listJobsFunction,
        service.createJobFunction,
        service.retrieveJobFunction,
        service.deleteJobFunction,
      ]) {
        expect(fn.functionName).toBeDefined();
      }
    });

    it('deletes what it created when told to', () => {
      const { template } = synthService({ removalPolicy: RemovalPolicy.DESTROY });
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({ KeySchema: Match.arrayWith([{ AttributeName: 'sk', KeyType: 'RANGE' }]) }),
      });
    });
  });

  describe('props validation', () => {
    it.each([
      [{ throttlingRateLimit: 0 }, 'throttlingRateLimit must be positive, got 0'],
      [{ throttlingBurstLimit: 1.5 }, 'throttlingBurstLimit must be a non-negative integer, got 1.5'],
      [{ apiFunctionMemorySize: 64 }, 'apiFunctionMemorySize must be an integer from 128 to 10240 MiB, got 64'],
      [{ apiFunctionReservedConcurrency: 0 }, 'apiFunctionReservedConcurrency must be a positive integer, got 0'],
      [{ apiStageName: 'my stage' }, "apiStageName must match [A-Za-z0-9_-]{1,128}, got 'my stage'"],
      [{ logLevel: 'LOUD' }, "logLevel must be one of DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT, got 'LOUD'"],
      [{ idempotencyTtl: Duration.seconds(5) }, 'idempotencyTtl must be at least 1 minute, got Duration.seconds(5)'],
      [{ exportWorkerReservedConcurrency: 0 }, 'exportWorkerReservedConcurrency must be a positive integer, got 0'],
      [
        { exportConcurrency: 20, exportWorkerReservedConcurrency: 10 },
        'exportWorkerReservedConcurrency must be at least exportConcurrency (20), or one job throttles its own workers, got 10',
      ],
      [
        { reserveConcurrency: false, apiFunctionReservedConcurrency: 5 },
        'apiFunctionReservedConcurrency cannot be set when reserveConcurrency is false, got 5',
      ],
      [
        { defaultMergePolicy: { id: 'mp', version: 0 } },
        'defaultMergePolicy.version must be a positive integer, got 0',
      ],
      [
        { workflowTimeout: Duration.days(400) },
        "workflowTimeout must be from 1 minute to 365 days (Step Functions' limit), got Duration.days(400)",
      ],
      [
        { authorizerCacheTtl: Duration.hours(2) },
        "authorizerCacheTtl must be at most 1 hour (API Gateway's limit), got Duration.hours(2)",
      ],
      [{ orgsClaim: ' ' }, "orgsClaim must name a token claim, got ' '"],
      [
        { webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:global/webacl/x/1' },
        "webAclArn must be the ARN of a regional WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/...), got 'arn:aws:wafv2:eu-west-1:123456789012:global/webacl/x/1'",
      ],
      [{ basePath: 'data/core/ups' }, "got 'data/core/ups'"],
      [{ basePath: '/data/core/ups/' }, "got '/data/core/ups/'"],
      [{ basePath: '/data/{org}' }, "basePath must be '/'-separated segments"],
      [
        { usagePlans: [{ name: 'Partners' }, { name: 'Partners' }] },
        "usagePlans: plan names must be unique, got 'Partners' 2 times",
      ],
      [
        { usagePlans: [{ name: 'Partners', apiKeys: [{ name: 'short', value: 'abc' }] }] },
        'API key short: value must have at least 20 characters, got 3',
      ],
    ])('refuses %j, naming the bad value', (props, message) => {
      expect(() => synthService(props)).toThrow(message);
    });

    it('reports every bad prop at once', () => {
      expect(() => synthService({ throttlingRateLimit: -1, logLevel: 'x' })).toThrow(/throttlingRateLimit.*; logLevel/);
    });
  });
});
