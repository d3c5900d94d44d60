import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { addExportJobsStack } from '../../bin/build-app';
import { STAGES } from '../../bin/stages';
import { TokenIssuer } from '../../lib/auth/token-issuer';
import { OPERATIONS } from '../../lambda/contract/operations';
import { ExportJobsService } from '../../lib/export-jobs-service';
import { JobTable } from '../../lib/job-table';
import { BATCH_OBJECT_PATTERNS } from '../../lambda/contract/batch-layout';
import { synthService, testApp } from './support/synth';

/** Synthesizes with cdk-nag's AwsSolutions pack: synthesis fails on any unacknowledged finding. */
function synthWithNag(build: (app: App) => void): void {
  const app = testApp();
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

/** Every acknowledgement in the tree, with the construct it is on. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string; onResource: boolean }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
          onResource: !(construct instanceof Stack) && !(construct instanceof App),
        })),
      ),
  );
}

describe('cdk-nag (AwsSolutions)', () => {
  it.each(Object.keys(STAGES))('finds nothing unacknowledged in the %s stage', (stage) => {
    expect(() => synthWithNag((app) => addExportJobsStack(app, stage))).not.toThrow();
  });

  it('finds nothing unacknowledged with your own tables, bucket, OIDC issuer, web ACL and KMS key', () => {
    expect(() =>
      synthWithNag((app) => {
        const stack = new Stack(app, 'BringYourOwn', { env: { account: '123456789012', region: 'eu-west-1' } });
        new ExportJobsService(stack, 'ExportJobs', {
          jobTable: dynamodb.Table.fromTableAttributes(stack, 'Jobs', {
            tableName: 'jobs',
            globalIndexes: JobTable.INDEX_NAMES,
            tableStreamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/jobs/stream/2026-01-01T00:00:00.000',
          }),
          exportBucket: s3.Bucket.fromBucketName(stack, 'Exports', 'my-exports'),
          tokenIssuer: TokenIssuer.oidc({
            issuer: 'https://idp.example.com',
            jwksUri: 'https://idp.example.com/jwks.json',
            audiences: ['export-jobs'],
          }),
          webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc',
          encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        });
      }),
    ).not.toThrow();
  });

  it('acknowledges each finding on one resource, with its reason', () => {
    const app = testApp();
    const stack = addExportJobsStack(app, 'staging');
    const found = acknowledgements(stack);
    expect(found.length).toBeGreaterThan(5);
    for (const acknowledgement of found) {
      expect(acknowledgement).toMatchObject({ onResource: true, reason: expect.stringMatching(/\w.{30,}/) });
      expect(acknowledgement.path.startsWith(`${stack.node.path}/ExportJobs/`)).toBe(true);
    }
    // IAM wildcards are acknowledged finding by finding, never as a whole rule.
    expect(found.filter((acknowledgement) => acknowledgement.id === 'AwsSolutions-IAM5')).toEqual([]);
  });
});

describe('authentication and API keys', () => {
  const { template } = synthService({
    tokenIssuer: TokenIssuer.oidc({
      issuer: 'https://idp.example.com',
      jwksUri: 'https://idp.example.com/.well-known/jwks.json',
      audiences: ['a', 'b'],
    }),
    orgsClaim: 'tenants',
    authorizerCacheTtl: Duration.minutes(1),
  });

  it('puts every method behind the JWT authorizer and an API key', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(OPERATIONS.length);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: expect.stringMatching(/^ExportJobsApiAuthorizer/) },
        ApiKeyRequired: true,
      });
    }
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 60,
    });
  });

  it('configures the authorizer for the issuer and the claims', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Verifies the bearer token of every request',
      Environment: {
        Variables: Match.objectLike({
          TOKEN_ISSUER_KIND: 'oidc',
          OIDC_ISSUER: 'https://idp.example.com',
          OIDC_JWKS_URI: 'https://idp.example.com/.well-known/jwks.json',
          OIDC_AUDIENCES: 'a,b',
          TOKEN_USE: 'access',
          ORGS_CLAIM: 'tenants',
          SANDBOXES_CLAIM: 'sandboxes',
        }),
      },
    });
  });

  it('refuses a JWKS over plain HTTP, except on loopback for development', () => {
    const oidc = (jwksUri: string) => TokenIssuer.oidc({ issuer: 'https://i', jwksUri, audiences: ['a'] });
    expect(() => synthService({ tokenIssuer: oidc('http://idp.example.com/jwks') })).toThrow(
      /jwksUri must be an https:\/\/ URL/,
    );
    expect(() => synthService({ tokenIssuer: oidc('http://127.0.0.1:4599/.well-known/jwks.json') })).not.toThrow();
  });

  it('creates a usage plan with rate, burst and daily quota, and its API key', () => {
    const { template: withPlans } = synthService({
      usagePlans: [
        {
          name: 'Gold',
          rateLimit: 20,
          burstLimit: 40,
          quotaPerDay: 5000,
          apiKeys: [{ name: 'Partner', value: 'a-value-of-twenty-characters' }],
        },
      ],
    });
    withPlans.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 20, BurstLimit: 40 },
      Quota: { Limit: 5000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ ApiId: { Ref: Match.stringLikeRegexp('^ExportJobsApi') } })],
    });
    withPlans.hasResourceProperties('AWS::ApiGateway::ApiKey', {
      Value: 'a-value-of-twenty-characters',
      Enabled: true,
    });
    withPlans.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    expect(() =>
      synthService({ usagePlans: [{ name: 'Bad', rateLimit: 0, apiKeys: [{ name: 'Short', value: 'short' }] }] }),
    ).toThrow(
      /usage plan Bad: rateLimit must be a positive integer, got 0; API key Short: value must have at least 20 characters/,
    );
  });

  it('by default creates a hardened Cognito user pool whose users cannot grant themselves tenants', () => {
    const { template: cognito } = synthService();
    cognito.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true, RequireUppercase: true }),
      },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'orgs', Mutable: true }),
        Match.objectLike({ Name: 'sandboxes', Mutable: true }),
      ]),
    });
    const [client] = Object.values(cognito.findResources('AWS::Cognito::UserPoolClient'));
    expect(client.Properties.WriteAttributes).toEqual(['email']);
    expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:orgs', 'custom:sandboxes']));
    cognito.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ TOKEN_ISSUER_KIND: 'cognito', TOKEN_USE: 'id', ORGS_CLAIM: 'custom:orgs' }),
      },
    });
  });

  it('associates the web ACL it is given with the stage', () => {
    const { template: withWaf } = synthService({
      webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc',
    });
    withWaf.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc',
    });
  });
});

describe('least privilege', () => {
  const { template } = synthService();
  const tables = Object.fromEntries(
    Object.entries(template.findResources('AWS::DynamoDB::Table')).map(([id]) => [
      id.replace(/^ExportJobs|[0-9A-F]{8}$/g, ''),
      id,
    ]),
  );

  /** Every action a function's role may take, and the logical ids of the tables it names. */
  function permissionsOf(functionId: string): { actions: string[]; tables: string[] } {
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.startsWith(`ExportJobs${functionId}Role`),
    );
    const statements = policy ? policy[1].Properties.PolicyDocument.Statement : [];
    const actions = statements.flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
    const text = JSON.stringify(statements);
    return {
      actions,
      tables: Object.values(tables)
        .filter((id) => text.includes(`"${id}"`))
        .sort(),
    };
  }

  it('gives no function an AWS managed policy', () => {
    const functionRoles = Object.values(template.findResources('AWS::IAM::Role')).filter(
      (role) => role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'lambda.amazonaws.com',
    );
    expect(functionRoles.length).toBeGreaterThan(10);
    for (const role of functionRoles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('lets the list and get functions (of jobs and datasets) read, never write', () => {
    for (const reader of [
      'ApiListJobsFunction',
      'ApiGetJobFunction',
      'ApiListDatasetsFunction',
      'ApiGetDatasetFunction',
    ]) {
      // Its own log stream and X-Ray aside, what it may do to data.
      const dataActions = permissionsOf(reader).actions.filter((action) => !/^(logs|xray):/.test(action));
      expect(dataActions.length).toBeGreaterThan(0);
      expect(dataActions.filter((action) => /Put|Update|Delete|Write|Create|Batch/.test(action))).toEqual([]);
    }
  });

  it('GIVEN the batch-reading functions WHEN their roles are read THEN they get job items and read batch objects by the layout patterns only: manifests, and part files for the download function', () => {
    /** The statements of a function's role that name S3 actions. */
    const s3Statements = (functionId: string): Array<{ Action: unknown; Resource: unknown }> => {
      const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
        id.startsWith(`ExportJobs${functionId}Role`),
      )!;
      return policy[1].Properties.PolicyDocument.Statement.filter((statement: { Action: unknown }) =>
        [statement.Action].flat().some((action) => String(action).startsWith('s3:')),
      );
    };
    for (const [fn, keys] of [
      ['ApiListBatchFilesFunction', [BATCH_OBJECT_PATTERNS.manifests]],
      ['ApiGetDataSetFileFunction', [BATCH_OBJECT_PATTERNS.manifests, BATCH_OBJECT_PATTERNS.partFiles]],
    ] as const) {
      const dataActions = permissionsOf(fn).actions.filter((action) => !/^(logs|xray):/.test(action));
      expect({ fn, dataActions: [...new Set(dataActions)].sort() }).toEqual({
        fn,
        dataActions: ['dynamodb:GetItem', 's3:GetObject'],
      });
      const statements = s3Statements(fn);
      expect(statements).toHaveLength(1);
      expect(statements[0].Action).toBe('s3:GetObject');
      const resources = [statements[0].Resource].flat().map((resource) => JSON.stringify(resource));
      expect(resources).toHaveLength(keys.length);
      keys.forEach((key, index) => expect(resources[index]).toContain(`/${key}`));
    }
  });

  it('lets each function use only its own tables', () => {
    const expected: Record<string, string[]> = {
      ApiListBatchFilesFunction: ['JobTable'],
      ApiGetDataSetFileFunction: ['JobTable'],
      ApiListJobsFunction: ['JobTable'],
      ApiGetJobFunction: ['JobTable'],
      ApiDeleteJobFunction: ['JobTable'],
      // It reads the job's dataset and the job's merge policy.
      ApiCreateJobFunction: ['ConfigTable', 'DatasetTable', 'IdempotencyTable', 'JobTable'],
      ApiCreateDatasetFunction: ['DatasetTable'],
      ApiGetDatasetFunction: ['DatasetTable'],
      ApiListDatasetsFunction: ['DatasetTable'],
      ApiMergePoliciesFunction: ['ConfigTable'],
      ApiSegmentDefinitionsFunction: ['ConfigTable'],
      ApiAuthorizeFunction: [],
      JobStarterStartExportFunction: ['JobTable'],
      ExecutionWatcherExecutionEndedFunction: ['JobTable'],
      // It reads the job table's stream.
      JobEventsPublishJobEventsFunction: ['JobTable'],
      WorkflowPlanExportFunction: ['JobTable', 'ProfileStoreProfileTable'],
      // The config table: the segment definitions a job evaluates at export.
      WorkflowExportShardFunction: [
        'ConfigTable',
        'JobTable',
        'MembershipIndexTable',
        'ProfileStoreEventTable',
        'ProfileStoreProfileTable',
      ],
      // It reads the profile table's stream and writes the index.
      MembershipIndexIndexMembershipsFunction: ['MembershipIndexTable', 'ProfileStoreProfileTable'],
      WorkflowFinalizeExportFunction: ['JobTable'],
      WorkflowFailExportFunction: ['JobTable'],
    };
    for (const [fn, own] of Object.entries(expected)) {
      expect({ fn, tables: permissionsOf(fn).tables }).toEqual({ fn, tables: own.map((name) => tables[name]).sort() });
    }
  });

  it('lets only the list function query the job table indexes and the export worker the update-time index, by name', () => {
    const indexResources = JSON.stringify(template.findResources('AWS::IAM::Policy')).match(/\/index\/[^"]*/g) ?? [];
    expect([...new Set(indexResources)].sort()).toEqual([
      '/index/byCreationTime',
      '/index/byStatus',
      '/index/byUpdateTime',
    ]);
    const withIndexes = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, policy]) => JSON.stringify(policy).includes('/index/'))
      .map(([id]) => id.replace(/Role.*$/, ''));
    expect(withIndexes.sort()).toEqual(['ExportJobsApiListJobsFunction', 'ExportJobsWorkflowExportShardFunction']);
  });

  /** ReservedConcurrentExecutions of each function, by description. */
  function reservations(synthesized: typeof template): Record<string, number | undefined> {
    return Object.fromEntries(
      Object.values(synthesized.findResources('AWS::Lambda::Function')).map((fn) => [
        fn.Properties.Description,
        fn.Properties.ReservedConcurrentExecutions,
      ]),
    );
  }

  it('GIVEN the defaults WHEN synthesized THEN the export worker is capped at twice the Map width and the API functions and authorizer each keep 10, nothing else reserved', () => {
    const reserved = reservations(template);
    // The authorizer, the worker and one per API function (the config resources have one each).
    expect(Object.values(reserved).filter((value) => value !== undefined)).toHaveLength(
      new Set(OPERATIONS.map((operation) => operation.handler)).size + 2,
    );
    expect(reserved['Export workflow: export one shard']).toBe(32);
    for (const [description, value] of Object.entries(reserved)) {
      if (
        /^(GET|POST|PATCH|DELETE) \/(export\/|dataSets|config\/mergePolicies|segment\/definitions)|Verifies the bearer token/.test(
          description,
        )
      ) {
        expect({ description, value }).toEqual({ description, value: 10 });
      }
    }
  });

  it('GIVEN a wider export WHEN synthesized THEN the worker cap follows it', () => {
    const { template: wide } = synthService({ exportConcurrency: 40 });
    expect(reservations(wide)['Export workflow: export one shard']).toBe(80);
  });

  it('GIVEN reserveConcurrency false (a new account whose quota is 10) WHEN synthesized THEN no function reserves any', () => {
    const { template: shared } = synthService({ reserveConcurrency: false });
    expect(Object.values(reservations(shared)).filter((value) => value !== undefined)).toEqual([]);
  });

  it('sets reserved concurrency where asked', () => {
    const { template: reserved } = synthService({
      apiFunctionReservedConcurrency: 20,
      exportWorkerReservedConcurrency: 40,
    });
    reserved.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^GET /export/jobs:'),
      ReservedConcurrentExecutions: 20,
    });
    reserved.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Export workflow: export one shard',
      ReservedConcurrentExecutions: 40,
    });
  });

  it('encrypts with the KMS key it is given, and lets each function use the key', () => {
    const { template: encrypted } = synthService({}, (stack) => ({
      encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    }));
    encrypted.allResourcesProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
    encrypted.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
    });
    encrypted.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    const kmsUsers = Object.entries(encrypted.findResources('AWS::IAM::Policy'))
      .filter(([, policy]) => JSON.stringify(policy).includes('kms:Decrypt'))
      .map(([id]) => id.replace(/^ExportJobs|Role.*$/g, ''));
    expect(kmsUsers).toEqual(
      expect.arrayContaining([
        'ApiListJobsFunction',
        'ApiCreateJobFunction',
        'ApiCreateDatasetFunction',
        'ApiGetDatasetFunction',
        'ApiListDatasetsFunction',
        'WorkflowExportShardFunction',
      ]),
    );
  });

  it('keeps dead letters of the asynchronous deliveries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('writes the export bucket’s access logs to a bucket of their own', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('ExportBucketAccessLogs') },
        LogFilePrefix: 'export-bucket/',
      },
    });
  });
});
