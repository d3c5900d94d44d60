import type * as http from 'node:http';
import {
  AwsCallJournal,
  accessKeyIdOf,
  dynamoDbAccess,
  eventBridgeAccess,
  s3Access,
  stepFunctionsAccess,
  type SignedRequest,
} from '../../local/aws-call-journal';

function signedRequest(
  method: string,
  url: string,
  headers: http.IncomingHttpHeaders = {},
  body: unknown = '',
): SignedRequest {
  return {
    method,
    url: new URL(url, 'http://127.0.0.1'),
    headers: {
      authorization: 'AWS4-HMAC-SHA256 Credential=CreateJobFn/20261124/us-east-1/s3/aws4_request, SignedHeaders=host',
      ...headers,
    },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

const target = (operation: string) => ({ 'x-amz-target': operation });

describe('AWS calls as IAM sees them', () => {
  it('GIVEN a SigV4 Authorization header WHEN read THEN its access key id names the caller', () => {
    expect(accessKeyIdOf(signedRequest('GET', '/').headers)).toBe('CreateJobFn');
    expect(accessKeyIdOf({})).toBeUndefined();
  });

  it('GIVEN a presigned URL WHEN read THEN the access key id of its X-Amz-Credential names the caller that signed it', () => {
    const url = new URL(
      'http://local/exports/part-0.json.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=GetFileFn%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Expires=900',
    );
    expect(accessKeyIdOf({}, url)).toBe('GetFileFn');
    expect(accessKeyIdOf({}, new URL('http://local/exports/part-0.json.gz'))).toBeUndefined();
  });

  it('GIVEN the steps of a multipart upload and other S3 requests WHEN described THEN each is the action IAM checks, on the object or the bucket', () => {
    const object = '/exports/org%40AdobeOrg/prod/part-0.json.gz';
    const described = [
      signedRequest('POST', `${object}?uploads`),
      signedRequest('PUT', `${object}?partNumber=1&uploadId=u`),
      signedRequest('POST', `${object}?uploadId=u`),
      signedRequest('DELETE', `${object}?uploadId=u`),
      signedRequest('PUT', object),
      signedRequest('GET', object),
      signedRequest('GET', '/exports?list-type=2&prefix=org'),
    ].map((request) => s3Access(request)[0]);
    const objectArn = 'arn:aws:s3:::exports/org@AdobeOrg/prod/part-0.json.gz';
    expect(described).toEqual([
      { operation: 'CreateMultipartUpload', action: 's3:PutObject', resource: objectArn },
      { operation: 'UploadPart', action: 's3:PutObject', resource: objectArn },
      { operation: 'CompleteMultipartUpload', action: 's3:PutObject', resource: objectArn },
      { operation: 'AbortMultipartUpload', action: 's3:AbortMultipartUpload', resource: objectArn },
      { operation: 'PutObject', action: 's3:PutObject', resource: objectArn },
      { operation: 'GetObject', action: 's3:GetObject', resource: objectArn },
      { operation: 'ListObjects', action: 's3:ListBucket', resource: 'arn:aws:s3:::exports' },
    ]);
  });

  it('GIVEN DynamoDB requests WHEN described THEN an index query is on the index ARN and a transaction is checked item by item', () => {
    const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/Jobs';
    expect(
      dynamoDbAccess(
        signedRequest('POST', '/', target('DynamoDB_20120810.Query'), { TableName: 'Jobs', IndexName: 'byStatus' }),
      ),
    ).toEqual([{ operation: 'Query', action: 'dynamodb:Query', resource: `${table}/index/byStatus` }]);
    expect(
      dynamoDbAccess(
        signedRequest('POST', '/', target('DynamoDB_20120810.TransactWriteItems'), {
          TransactItems: [{ Put: { TableName: 'Jobs' } }, { ConditionCheck: { TableName: 'Other' } }],
        }),
      ).map(({ action, resource }) => [action, resource]),
    ).toEqual([
      ['dynamodb:PutItem', table],
      ['dynamodb:ConditionCheckItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/Other'],
    ]);
  });

  it('GIVEN Step Functions and EventBridge requests WHEN described THEN each names the execution, state machine or bus', () => {
    const execution = 'arn:aws:states:us-east-1:000000000000:execution:Machine:job-1';
    expect(
      stepFunctionsAccess(
        signedRequest('POST', '/', target('AWSStepFunctions.StopExecution'), { executionArn: execution }),
      ),
    ).toEqual([{ operation: 'StopExecution', action: 'states:StopExecution', resource: execution }]);
    expect(
      eventBridgeAccess(
        signedRequest('POST', '/', target('AWSEvents.PutEvents'), {
          Entries: [{ Source: 'a' }, { EventBusName: 'jobs' }],
        }),
      ),
    ).toEqual([
      {
        operation: 'PutEvents',
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
      },
      {
        operation: 'PutEvents',
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-east-1:000000000000:event-bus/jobs',
      },
    ]);
  });

  it('GIVEN the same call made twice WHEN journaled THEN it is listed once with its count', () => {
    const journal = new AwsCallJournal();
    const access = {
      operation: 'GetItem',
      action: 'dynamodb:GetItem',
      resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/Jobs',
    };
    journal.record('GetJobFn', access);
    journal.record('GetJobFn', access);
    expect(journal.list()).toEqual([{ caller: 'GetJobFn', ...access, count: 2 }]);
  });
});
