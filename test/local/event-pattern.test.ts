import { matchesPattern } from '../../local/event-pattern';

const executionEnded = {
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: {
    status: 'ABORTED',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Workflow',
    attempts: 3,
    tags: ['export', 'nightly'],
    error: null,
  },
};

describe('matchesPattern (EventBridge event patterns and Lambda event filters)', () => {
  it('GIVEN literal values at nested fields WHEN an event has one of them THEN it matches, otherwise not', () => {
    const pattern = { source: ['aws.states'], detail: { status: ['FAILED', 'ABORTED', 'TIMED_OUT'] } };
    expect(matchesPattern(pattern, executionEnded)).toBe(true);
    expect(matchesPattern(pattern, { ...executionEnded, detail: { status: 'SUCCEEDED' } })).toBe(false);
    expect(matchesPattern(pattern, { ...executionEnded, source: 'aws.s3' })).toBe(false);
  });

  it('GIVEN a field the event lacks WHEN matched THEN it does not match (an empty pattern matches anything)', () => {
    expect(matchesPattern({ detail: { output: ['x'] } }, executionEnded)).toBe(false);
    expect(matchesPattern({ account: ['1'] }, {})).toBe(false);
    expect(matchesPattern({}, executionEnded)).toBe(true);
  });

  it('GIVEN an array in the event WHEN any element is an allowed value THEN it matches', () => {
    expect(matchesPattern({ detail: { tags: ['nightly'] } }, executionEnded)).toBe(true);
    expect(matchesPattern({ detail: { tags: ['weekly'] } }, executionEnded)).toBe(false);
  });

  it('GIVEN a null value allowed WHEN the field is null THEN it matches', () => {
    expect(matchesPattern({ detail: { error: [null] } }, executionEnded)).toBe(true);
    expect(matchesPattern({ detail: { status: [null] } }, executionEnded)).toBe(false);
  });

  it('GIVEN a prefix WHEN the string starts with it THEN it matches; non-strings never do', () => {
    expect(matchesPattern({ detail: { stateMachineArn: [{ prefix: 'arn:aws:states:' }] } }, executionEnded)).toBe(true);
    expect(matchesPattern({ detail: { stateMachineArn: [{ prefix: 'arn:aws:lambda:' }] } }, executionEnded)).toBe(
      false,
    );
    expect(matchesPattern({ detail: { attempts: [{ prefix: '3' }] } }, executionEnded)).toBe(false);
  });

  it('GIVEN anything-but (one value or a list) WHEN the value is excluded THEN it does not match', () => {
    expect(matchesPattern({ detail: { status: [{ 'anything-but': 'SUCCEEDED' }] } }, executionEnded)).toBe(true);
    expect(matchesPattern({ detail: { status: [{ 'anything-but': ['ABORTED', 'FAILED'] }] } }, executionEnded)).toBe(
      false,
    );
    // Every element of an array must be outside the list.
    expect(matchesPattern({ detail: { tags: [{ 'anything-but': ['nightly'] }] } }, executionEnded)).toBe(false);
  });

  it('GIVEN numeric conditions WHEN every condition of the range holds THEN it matches', () => {
    const attempts = (conditions: Array<string | number>) =>
      matchesPattern({ detail: { attempts: [{ numeric: conditions }] } }, executionEnded);
    expect(attempts(['>', 0, '<=', 3])).toBe(true);
    expect(attempts(['>', 3])).toBe(false);
    expect(attempts(['=', 3])).toBe(true);
    expect(attempts(['>=', 4])).toBe(false);
    expect(attempts(['<', 3])).toBe(false);
    // A string that looks like a number is not a number.
    expect(matchesPattern({ n: [{ numeric: ['=', 3] }] }, { n: '3' })).toBe(false);
  });

  it('GIVEN exists true or false WHEN the field is present or absent THEN it matches accordingly', () => {
    expect(matchesPattern({ detail: { error: [{ exists: true }] } }, executionEnded)).toBe(true);
    expect(matchesPattern({ detail: { output: [{ exists: true }] } }, executionEnded)).toBe(false);
    expect(matchesPattern({ detail: { output: [{ exists: false }] } }, executionEnded)).toBe(true);
    expect(matchesPattern({ detail: { status: [{ exists: false }] } }, executionEnded)).toBe(false);
  });

  it('GIVEN a DynamoDB stream filter WHEN records of several kinds come THEN only the inserts of the wanted type pass', () => {
    const filter = { eventName: ['INSERT'], dynamodb: { NewImage: { jobType: { S: ['BATCH'] } } } };
    const record = (eventName: string, jobType: string) => ({
      eventName,
      dynamodb: { NewImage: { jobType: { S: jobType }, id: { N: '7' } } },
    });
    expect(matchesPattern(filter, record('INSERT', 'BATCH'))).toBe(true);
    expect(matchesPattern(filter, record('MODIFY', 'BATCH'))).toBe(false);
    expect(matchesPattern(filter, record('INSERT', 'COUNTER'))).toBe(false);
    expect(matchesPattern(filter, { eventName: 'REMOVE', dynamodb: { OldImage: {} } })).toBe(false);
  });

  it('GIVEN an operator it does not know, or a malformed pattern, WHEN matched THEN it throws instead of guessing', () => {
    expect(() => matchesPattern({ detail: { status: [{ suffix: 'ED' }] } }, executionEnded)).toThrow(
      'Unsupported event pattern operator: {"suffix":"ED"}',
    );
    expect(() => matchesPattern({ source: 'aws.states' }, executionEnded)).toThrow(
      'Unsupported event pattern: "aws.states"',
    );
  });
});
