import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EntityNotFoundException, GetTableCommand } from '@aws-sdk/client-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { stageSettings } from '../../bin/stages';
import { GlueQueryCatalog } from '../../lambda/adapters/glue-query-catalog';
import { ENVIRONMENT } from '../../lambda/contract/environment';
import { ExportJobsService } from '../../lib/export-jobs-service';
import { CloudFormationTemplate, LOCAL_ENVIRONMENT } from '../../local/cloudformation-template';
import { simulateCalls, type CheckedCall } from '../e2e/support/iam-simulation';
import { DATASET_ID as DATASET, completeParquetBatch } from '../unit/support/dataset-batch';

/**
 * The local stack has no Glue (its stage sets query.enabled false), so the finalizer's Glue
 * calls cannot be recorded there as its other calls are (test/e2e/iam-simulation.test.ts).
 * Instead the adapter runs against recording doubles of its clients, and each call it makes
 * is simulated against the finalizer's role in the template of a service with query on (and
 * customer-managed keys everywhere, as in the e2e simulation).
 */
function queryServiceTemplate(): CloudFormationTemplate {
  const stack = new Stack(new App(), 'ExportJobsQuery');
  const bucketKey = new kms.Key(stack, 'BucketKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  new ExportJobsService(stack, 'ExportJobs', {
    ...stageSettings('local'),
    query: { enabled: true },
    encryptionKey: new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY }),
    exportBucket: new s3.Bucket(stack, 'Exports', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: bucketKey,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    }),
  });
  return new CloudFormationTemplate(Template.fromStack(stack).toJSON() as any, stack.stackName, '.');
}

const template = queryServiceTemplate();
const finalizer = template
  .ofType('AWS::Lambda::Function')
  .find(([, resource]) => /manifests and SUCCEEDED/.test(String(resource.Properties?.Description)))![0];
const environment = template.resolve(template.resource(finalizer).Properties!.Environment.Variables);
const bucket: string = environment[ENVIRONMENT.exportBucketName];
const database: string = environment[ENVIRONMENT.queryDatabaseName];
const batch = completeParquetBatch();

/** Glue evaluates a table action on the catalog, the database and the table (all three must allow it). */
function glueResources(input: {
  DatabaseName: string;
  TableName?: string;
  Name?: string;
  TableInput?: { Name: string };
}) {
  const { partition, region, accountId } = LOCAL_ENVIRONMENT;
  const prefix = `arn:${partition}:glue:${region}:${accountId}`;
  const table = input.TableName ?? input.Name ?? input.TableInput!.Name;
  return [
    `${prefix}:catalog`,
    `${prefix}:database/${input.DatabaseName}`,
    `${prefix}:table/${input.DatabaseName}/${table}`,
  ];
}

/** The calls the adapter makes to register a batch of a dataset without a table yet, as IAM sees them. */
async function callsOfTheAdapter(): Promise<CheckedCall[]> {
  const calls: CheckedCall[] = [];
  const recording = (service: 'glue' | 's3') => ({
    send: async (command: { input: any }) => {
      const operation = command.constructor.name.replace(/Command$/, '');
      const resources =
        service === 's3' ? [`arn:aws:s3:::${command.input.Bucket}/${command.input.Key}`] : glueResources(command.input);
      for (const resource of resources)
        calls.push({ caller: finalizer, operation, action: `${service}:${operation}`, resource });
      if (command instanceof GetTableCommand) throw new EntityNotFoundException({ message: 'no table', $metadata: {} });
      return {};
    },
  });
  const log = { info: () => undefined, warn: () => undefined };
  await new GlueQueryCatalog(recording('glue') as never, recording('s3') as never, database, bucket, log).register(
    batch,
  );
  return calls;
}

describe('IAM simulation of the finalizer’s query-catalog calls against the template', () => {
  it('GIVEN the calls the Glue catalog adapter makes for a new dataset’s first batch WHEN simulated as the finalizer’s role THEN each is allowed on the catalog, the database and the table, and the symlink write with its KMS data key', async () => {
    const calls = await callsOfTheAdapter();
    const verdicts = await simulateCalls(template, calls);
    expect(
      verdicts.map(({ operation, action, resource, result }) => [
        operation,
        action,
        resource.replace(/^.*:(catalog|database|table|s3:::)/, '$1'),
        result,
      ]),
    ).toEqual([
      [
        'PutObject',
        's3:PutObject',
        `s3:::${bucket}/org%40AdobeOrg/prod/datasets/${DATASET}/_symlinks/batchid=b1/symlink.txt`,
        'Allowed',
      ],
      ['PutObject', 'kms:GenerateDataKey', expect.anything(), 'Allowed'],
      ...['GetTable', 'CreateTable', 'BatchCreatePartition'].flatMap((operation) => [
        [operation, `glue:${operation}`, 'catalog', 'Allowed'],
        [operation, `glue:${operation}`, `database/${database}`, 'Allowed'],
        [operation, `glue:${operation}`, `table/${database}/dataset_${DATASET}`, 'Allowed'],
      ]),
    ]);
  });

  it('GIVEN another database’s table, or a table not named dataset_<id> WHEN the same calls are simulated THEN they are denied (the grant is narrow)', async () => {
    const { partition, region, accountId } = LOCAL_ENVIRONMENT;
    const probes: CheckedCall[] = [
      {
        caller: finalizer,
        operation: 'CreateTable',
        action: 'glue:CreateTable',
        resource: `arn:${partition}:glue:${region}:${accountId}:table/${database}/other_table`,
      },
      {
        caller: finalizer,
        operation: 'CreateTable',
        action: 'glue:CreateTable',
        resource: `arn:${partition}:glue:${region}:${accountId}:database/another_db`,
      },
      {
        caller: finalizer,
        operation: 'DeleteTable',
        action: 'glue:DeleteTable',
        resource: `arn:${partition}:glue:${region}:${accountId}:table/${database}/dataset_${DATASET}`,
      },
    ];
    expect((await simulateCalls(template, probes)).map(({ result }) => result)).toEqual([
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
    ]);
  });
});
