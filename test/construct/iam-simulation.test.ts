import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { batchPrefix, partFileName } from '../../lambda/contract/batch-layout';
import { CloudFormationTemplate } from '../../local/cloudformation-template';
import { simulateCalls, type CheckedCall } from '../e2e/support/iam-simulation';
import { addKmsServiceStack } from '../e2e/support/kms-service-stack';

/** The stack of the IAM-simulation e2e test, resolved as the local stack resolves it. */
function kmsServiceTemplate(): CloudFormationTemplate {
  const stack = addKmsServiceStack(new App());
  return new CloudFormationTemplate(Template.fromStack(stack).toJSON() as any, stack.stackName, '.');
}

function functionId(template: CloudFormationTemplate, description: RegExp): string {
  const found = template
    .ofType('AWS::Lambda::Function')
    .filter(([, resource]) => description.test(String(resource.Properties?.Description)));
  if (found.length !== 1) throw new Error(`${found.length} functions match ${description}`);
  return found[0][0];
}

/** Removes `action` from every statement of the role's policies (dropping statements left empty). */
function withoutAction(action: string) {
  return (_role: string, policies: Array<{ policy: { Statement: any[] } }>) => {
    for (const { policy } of policies) {
      policy.Statement = policy.Statement.map((statement) => ({
        ...statement,
        Action: [statement.Action].flat().filter((candidate: string) => candidate !== action),
      })).filter((statement) => statement.Action.length > 0);
    }
  };
}

describe('IAM simulation of recorded calls against the template', () => {
  const template = kmsServiceTemplate();
  const bucket = template.physicalName(template.ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('Exports'))![0]);
  const jobTable = template.physicalName(
    template.ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('ExportJobsJobTable'))![0],
  );
  const partKey = `${batchPrefix({ orgId: 'org@AdobeOrg', sandboxName: 'prod' }, 'd', 'b')}${partFileName(0, 0, 'parquet')}`;
  const shardWorker = functionId(template, /export one shard/);
  const multipartUpload: CheckedCall[] = ['CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload'].map(
    (operation) => ({
      caller: shardWorker,
      operation,
      action: 's3:PutObject',
      resource: `arn:aws:s3:::${bucket}/${partKey}`,
    }),
  );

  it('GIVEN the shard worker’s multipart upload of a part file to a bucket with its own key WHEN simulated THEN its role allows each step and the KMS calls S3 makes for it', async () => {
    const verdicts = await simulateCalls(template, multipartUpload);
    expect(verdicts.map(({ operation, action, result }) => [operation, action, result])).toEqual([
      ['CreateMultipartUpload', 's3:PutObject', 'Allowed'],
      ['CreateMultipartUpload', 'kms:GenerateDataKey', 'Allowed'],
      ['UploadPart', 's3:PutObject', 'Allowed'],
      ['UploadPart', 'kms:Decrypt', 'Allowed'],
      ['CompleteMultipartUpload', 's3:PutObject', 'Allowed'],
      ['CompleteMultipartUpload', 'kms:Decrypt', 'Allowed'],
    ]);
  });

  it('GIVEN the shard worker’s role without kms:Decrypt (encrypt only, the defect of issue 11) WHEN simulated THEN the parts of a multipart upload are denied', async () => {
    const verdicts = await simulateCalls(template, multipartUpload, withoutAction('kms:Decrypt'));
    expect(
      verdicts.filter(({ result }) => result !== 'Allowed').map(({ operation, action }) => [operation, action]),
    ).toEqual([
      ['UploadPart', 'kms:Decrypt'],
      ['CompleteMultipartUpload', 'kms:Decrypt'],
    ]);
  });

  it('GIVEN the list function’s query of a job table index WHEN its role loses dynamodb:Query THEN the simulation denies it, and allows it otherwise', async () => {
    const query: CheckedCall = {
      caller: functionId(template, /^GET \/export\/jobs:/),
      operation: 'Query',
      action: 'dynamodb:Query',
      resource: `arn:aws:dynamodb:us-east-1:000000000000:table/${jobTable}/index/byCreationTime`,
    };
    expect((await simulateCalls(template, [query])).map(({ action, result }) => [action, result])).toEqual([
      ['dynamodb:Query', 'Allowed'],
      ['kms:Decrypt', 'Allowed'],
    ]);
    const denied = await simulateCalls(template, [query], withoutAction('dynamodb:Query'));
    expect(denied.map(({ action, result }) => [action, result])).toEqual([
      ['dynamodb:Query', 'ImplicitlyDenied'],
      ['kms:Decrypt', 'Allowed'],
    ]);
  });

  it('GIVEN a call on a resource outside the role’s grants WHEN simulated THEN it is denied (another table’s item)', async () => {
    const [verdict] = await simulateCalls(template, [
      {
        caller: functionId(template, /^GET \/export\/jobs\/\{id\}/),
        operation: 'PutItem',
        action: 'dynamodb:PutItem',
        resource: `arn:aws:dynamodb:us-east-1:000000000000:table/${jobTable}`,
      },
    ]);
    expect(verdict.result).toBe('ImplicitlyDenied');
  });
});
