import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExportJobsService } from '../../lib/export-jobs-service';
import { synthService, testApp } from './support/synth';

function policyStatementsOf(template: ReturnType<typeof synthService>['template'], rolePrefix: string): any[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

const FINALIZER = {
  Description: 'Export workflow: manifests and SUCCEEDED',
};

describe('SQL over the exported datasets (DatasetQuery)', () => {
  const { template, service, stack } = synthService();

  it('GIVEN the default service WHEN synthesized THEN it has a Glue database of the account’s catalog with a derived lowercase name', () => {
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.hasResourceProperties('AWS::Glue::Database', {
      CatalogId: '123456789012',
      DatabaseInput: { Name: Match.stringLikeRegexp('^[a-z0-9_]+$') },
    });
    template.hasResource('AWS::Glue::Database', { DeletionPolicy: 'Retain' });
  });

  it('GIVEN the default service WHEN synthesized THEN its Athena workgroup enforces its settings and writes SSE-S3 encrypted results to its own bucket', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          OutputLocation: {
            'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^ExportJobsQueryResultsBucket') }, '/']],
          },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          ExpectedBucketOwner: '123456789012',
        },
      },
    });
    expect(service.datasetQuery!.workgroupName).toMatch(/^TestStack-ExportJobs-Query-/);
  });

  it('GIVEN the default service WHEN synthesized THEN the results bucket is private, encrypted, TLS only, logged and expires results after 7 days', () => {
    const resultsBucket = stack.resolve((service.datasetQuery!.resultsBucket.node.defaultChild as any).logicalId);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'query-results/' }),
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ Id: 'ExpireQueryResults', ExpirationInDays: 7, Status: 'Enabled' })],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: resultsBucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('GIVEN the default service WHEN synthesized THEN the finalizer is told to register batches in Glue, and may only look up, create and add partitions to dataset_* tables of that database and write symlink files', () => {
    const databaseRef = { Ref: Match.stringLikeRegexp('^ExportJobsQueryDatabase') };
    template.hasResourceProperties('AWS::Lambda::Function', {
      ...FINALIZER,
      Environment: { Variables: Match.objectLike({ QUERY_CATALOG: 'glue', QUERY_DATABASE_NAME: databaseRef }) },
    });
    const statements = policyStatementsOf(template, 'ExportJobsWorkflowFinalizeExportFunctionRole');
    const glue = statements.filter((statement) =>
      [statement.Action].flat().some((action: string) => action.startsWith('glue:')),
    );
    expect(glue).toHaveLength(1);
    expect([glue[0].Action].flat().sort()).toEqual(['glue:BatchCreatePartition', 'glue:CreateTable', 'glue:GetTable']);
    const resources = JSON.stringify(glue[0].Resource);
    expect(resources).toContain(':glue:eu-west-1:123456789012:catalog');
    expect(resources).toContain(':glue:eu-west-1:123456789012:database/');
    expect(resources).toMatch(/:glue:eu-west-1:123456789012:table\/".*"\/dataset_\*/);
    expect(resources).not.toMatch(/table\/\*/);
    // The other functions never touch the catalog.
    const others = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => !id.startsWith('ExportJobsWorkflowFinalizeExportFunctionRole'))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
      .flatMap((statement: any) => [statement.Action].flat())
      .filter((action: string) => action.startsWith('glue:') || action.startsWith('athena:'));
    expect(others).toEqual([]);
  });

  it('GIVEN query.enabled false (the local stage) WHEN synthesized THEN there is no Glue database, workgroup or results bucket, the finalizer registers nothing (QUERY_CATALOG=none) and grantQuery refuses', () => {
    const disabled = synthService({ query: { enabled: false } });
    disabled.template.resourceCountIs('AWS::Glue::Database', 0);
    disabled.template.resourceCountIs('AWS::Athena::WorkGroup', 0);
    disabled.template.hasResourceProperties('AWS::Lambda::Function', {
      ...FINALIZER,
      Environment: { Variables: Match.objectLike({ QUERY_CATALOG: 'none', QUERY_DATABASE_NAME: Match.absent() }) },
    });
    expect(disabled.service.datasetQuery).toBeUndefined();
    expect(() => disabled.service.grantQuery(new iam.User(disabled.stack, 'Analyst'))).toThrow(
      'grantQuery: this ExportJobsService was created with query.enabled false',
    );
  });

  it('GIVEN names, a retention, a scan limit and a KMS key WHEN synthesized THEN the database and workgroup carry the names and the results are encrypted with the key', () => {
    const { template: custom } = synthService({}, (scope) => ({
      encryptionKey: new kms.Key(scope, 'Key', { enableKeyRotation: true }),
      query: {
        databaseName: 'exports',
        workgroupName: 'exports-sql',
        resultsRetention: Duration.days(2),
        bytesScannedCutoffPerQuery: 10_000_000_000,
      },
    }));
    custom.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'exports' } });
    custom.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'exports-sql',
      WorkGroupConfiguration: Match.objectLike({
        BytesScannedCutoffPerQuery: 10_000_000_000,
        ResultConfiguration: Match.objectLike({
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
          },
        }),
      }),
    });
    custom.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'ExpireQueryResults', ExpirationInDays: 2 })] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
    });
  });

  it('GIVEN bad query props WHEN the service is created THEN every one is refused, naming the value', () => {
    expect(() =>
      synthService({
        query: {
          databaseName: 'Export-Jobs',
          workgroupName: 'a b',
          resultsRetention: Duration.hours(1),
          bytesScannedCutoffPerQuery: 5,
        },
      }),
    ).toThrow(
      "Invalid ExportJobsService props: query.databaseName must match [a-z0-9_]{1,255}, got 'Export-Jobs'; query.workgroupName must match [a-zA-Z0-9._-]{1,128}, got 'a b'; query.resultsRetention must be at least 1 day, got Duration.hours(1); query.bytesScannedCutoffPerQuery must be an integer of at least 10000000 (10 MB), got 5",
    );
  });

  it('GIVEN an analyst role WHEN grantQuery is called THEN it may run queries in the workgroup only, read the catalog and the datasets’ files, and use the results bucket', () => {
    const scope = new Stack(testApp(), 'Analysis', { env: { account: '123456789012', region: 'eu-west-1' } });
    const querying = new ExportJobsService(scope, 'ExportJobs');
    const analyst = new iam.Role(scope, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    querying.grantQuery(analyst);
    const statements = Object.entries(
      Template.fromStack(scope).findResources('AWS::IAM::Policy') as Record<string, any>,
    )
      .filter(([id]) => id.startsWith('AnalystDefaultPolicy'))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
    const athena = statements.find((statement: any) =>
      [statement.Action].flat().includes('athena:StartQueryExecution'),
    );
    expect(JSON.stringify(athena.Resource)).toContain(
      `:athena:eu-west-1:123456789012:workgroup/${querying.datasetQuery!.workgroupName}`,
    );
    const glueRead = statements.find((statement: any) => [statement.Action].flat().includes('glue:GetPartitions'));
    expect([glueRead.Action].flat()).not.toContain('glue:CreateTable');
    const reads = statements.filter((statement: any) => [statement.Action].flat().includes('s3:GetObject'));
    expect(reads.map((statement: any) => JSON.stringify(statement.Resource))).toEqual([
      expect.stringContaining('/*/*/datasets/*'),
      expect.stringContaining('ExportJobsQueryResultsBucket'),
    ]);
    // Named actions only: no action families.
    const actions = statements.flatMap((statement: any) => [statement.Action].flat());
    expect(actions.filter((action: string) => action.includes('*'))).toEqual([]);
  });

  it('GIVEN the service with query on, a KMS key and an analyst granted queries WHEN checked by cdk-nag THEN nothing is unacknowledged', () => {
    const app: App = testApp();
    const scope = new Stack(app, 'Queried', { env: { account: '123456789012', region: 'eu-west-1' } });
    const querying = new ExportJobsService(scope, 'ExportJobs', {
      encryptionKey: new kms.Key(scope, 'Key', { enableKeyRotation: true }),
    });
    querying.grantQuery(new iam.Role(scope, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() }));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
