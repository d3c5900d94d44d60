import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CloudFormationTemplate } from '../../local/cloudformation-template';
import { DynamoDbEmulator } from '../../local/dynamodb-emulator';
import { LocalDynamoDbStreamMappings } from '../../local/dynamodb-stream-mappings';
import type { InvokeResult, LocalLambdaRuntime } from '../../local/lambda-runtime';
import { waitFor } from '../../local/local-network';

jest.setTimeout(60_000);

const ONLY_NEW_JOBS = { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['job'] } } } };

let tables = 0;

/** A template with one streamed table and one function reading it through an event source mapping. */
function template(mapping: Record<string, unknown>): { template: CloudFormationTemplate; table: string } {
  const table = `Jobs${++tables}`;
  const body = {
    Resources: {
      [table]: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        },
      },
      Starter: { Type: 'AWS::Lambda::Function' },
      StarterMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'Starter' },
          EventSourceArn: { 'Fn::GetAtt': [table, 'StreamArn'] },
          StartingPosition: 'TRIM_HORIZON',
          ...mapping,
        },
      },
    },
  };
  return { template: new CloudFormationTemplate(body, 'TestStack', os.tmpdir()), table };
}

type Answer = (ids: string[], attempt: number, records: any[]) => InvokeResult;

/** A Lambda runtime that records each batch (the ids of its records) and answers as told. */
class StreamConsumer {
  readonly batches: string[][] = [];
  readonly records: any[] = [];
  constructor(private readonly answer: Answer = () => ({ ok: true, result: null })) {}
  async invoke(functionArn: string, event: { Records: any[] }): Promise<InvokeResult> {
    expect(functionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:Starter');
    const ids = event.Records.map((record) => record.dynamodb.NewImage.id.S as string);
    this.batches.push(ids);
    this.records.push(...event.Records);
    return this.answer(ids, this.batches.length, event.Records);
  }
  asRuntime(): LocalLambdaRuntime {
    return this as unknown as LocalLambdaRuntime;
  }
  /** Resolves once a batch holding `id` has been delivered. */
  received(id: string): Promise<void> {
    return waitFor(
      async () => {
        if (!this.batches.some((batch) => batch.includes(id))) throw new Error(`${id} not delivered yet`);
      },
      30_000,
      20,
    );
  }
}

const failed = (errorMessage: string): InvokeResult => ({
  ok: false,
  error: { errorType: 'Error', errorMessage, trace: [] },
});

describe('LocalDynamoDbStreamMappings (DynamoDB stream event source mappings)', () => {
  let dynamoDb: DynamoDbEmulator;
  let client: DynamoDBClient;
  const running: LocalDynamoDbStreamMappings[] = [];

  beforeAll(async () => {
    dynamoDb = await DynamoDbEmulator.start();
    client = dynamoDb.client();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((mappings) => mappings.stop()));
  });
  afterAll(async () => {
    client.destroy();
    await dynamoDb.stop();
  });

  async function start(
    stack: { template: CloudFormationTemplate },
    consumer: StreamConsumer,
    options: { positionsFile?: string; log?: string[] } = {},
  ) {
    await dynamoDb.createTables(stack.template);
    const mappings = new LocalDynamoDbStreamMappings(
      stack.template,
      consumer.asRuntime(),
      client,
      dynamoDb.endpoint,
      options.positionsFile,
      (line) => options.log?.push(line),
    );
    mappings.start();
    running.push(mappings);
    return mappings;
  }

  const put = (table: string, id: string, kind = 'job') =>
    client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, kind: { S: kind } } }));

  it('GIVEN a filter and a batch size WHEN items are written THEN the function gets only the matching records, in order, in Lambda’s format', async () => {
    const stack = template({ BatchSize: 2, FilterCriteria: { Filters: [{ Pattern: JSON.stringify(ONLY_NEW_JOBS) }] } });
    await dynamoDb.createTables(stack.template);
    await put(stack.table, 'j1');
    await put(stack.table, 'counter', 'counter');
    await put(stack.table, 'j2');
    await client.send(
      new UpdateItemCommand({
        TableName: stack.table,
        Key: { id: { S: 'j1' } },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'PROCESSING' } },
      }),
    );
    await put(stack.table, 'j3');
    const consumer = new StreamConsumer();
    await start(stack, consumer);

    // Records come in stream order: once the last one is in, any other would have come before it.
    await consumer.received('j3');
    expect(consumer.batches.flat()).toEqual(['j1', 'j2', 'j3']);
    expect(consumer.batches.every((batch) => batch.length <= 2)).toBe(true);
    expect(consumer.records[0]).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringContaining(`table/${stack.table}/stream/`),
      dynamodb: {
        NewImage: { id: { S: 'j1' }, kind: { S: 'job' } },
        SequenceNumber: expect.any(String),
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
  });

  it('GIVEN the function reports a failed record WHEN the batch is retried THEN delivery resumes at that record, not before it', async () => {
    const stack = template({ BatchSize: 3, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const consumer = new StreamConsumer((_ids, attempt, records) => {
      if (attempt > 1) return { ok: true, result: { batchItemFailures: [] } };
      const failedRecord = records.find((record) => record.dynamodb.NewImage.id.S === 'j2');
      return { ok: true, result: { batchItemFailures: [{ itemIdentifier: failedRecord.dynamodb.SequenceNumber }] } };
    });
    await dynamoDb.createTables(stack.template);
    for (const id of ['j1', 'j2', 'j3']) await put(stack.table, id);
    await start(stack, consumer);

    await waitFor(async () => expect(consumer.batches.length).toBeGreaterThanOrEqual(2), 30_000, 20);
    await put(stack.table, 'j4');
    await consumer.received('j4');
    expect(consumer.batches).toEqual([['j1', 'j2', 'j3'], ['j2', 'j3'], ['j4']]);
  });

  it('GIVEN a batch that keeps failing WHEN MaximumRetryAttempts is spent THEN it is given up, logged, and the stream moves on', async () => {
    const stack = template({ BatchSize: 1, MaximumRetryAttempts: 1 });
    const log: string[] = [];
    const consumer = new StreamConsumer((ids) =>
      ids.includes('poison') ? failed('cannot start') : { ok: true, result: null },
    );
    await dynamoDb.createTables(stack.template);
    await put(stack.table, 'poison');
    await put(stack.table, 'j1');
    await start(stack, consumer, { log });

    await consumer.received('j1');
    expect(consumer.batches).toEqual([['poison'], ['poison'], ['j1']]);
    expect(log).toEqual([
      'arn:aws:lambda:us-east-1:000000000000:function:Starter failed on a stream batch (cannot start); retrying',
      'arn:aws:lambda:us-east-1:000000000000:function:Starter failed on a stream batch (cannot start); retrying',
      'arn:aws:lambda:us-east-1:000000000000:function:Starter: a stream batch failed 2 times; giving it up (on-failure destination)',
    ]);
  });

  it('GIVEN a positions file WHEN the mappings restart on it THEN they go on after the last accepted record', async () => {
    const positionsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stream-positions-')), 'positions.json');
    const stack = template({ BatchSize: 10 });
    const before = new StreamConsumer();
    await dynamoDb.createTables(stack.template);
    await put(stack.table, 'j1');
    await put(stack.table, 'j2');
    const first = await start(stack, before, { positionsFile });
    await before.received('j2');
    await first.stop();

    await put(stack.table, 'j3');
    const after = new StreamConsumer();
    await start(stack, after, { positionsFile });
    await after.received('j3');
    expect(before.batches.flat()).toEqual(['j1', 'j2']);
    expect(after.batches.flat()).toEqual(['j3']);
    fs.rmSync(path.dirname(positionsFile), { recursive: true, force: true });
  });

  it('GIVEN one mapping whose function is still busy WHEN another table gets a record THEN its function receives it meanwhile', async () => {
    const jobs = template({});
    const profiles = template({});
    // Two tables, each read by its own function: the Starter and a slow Indexer.
    const both = new CloudFormationTemplate(
      {
        // The Indexer's mapping first: polled one after the other, the Starter's would wait.
        Resources: {
          ...Object.fromEntries(
            Object.entries(profiles.template.resources).map(([id, resource]) =>
              id === 'Starter'
                ? ['Indexer', resource]
                : id === 'StarterMapping'
                  ? [
                      'IndexerMapping',
                      { ...resource, Properties: { ...resource.Properties, FunctionName: { Ref: 'Indexer' } } },
                    ]
                  : [id, resource],
            ),
          ),
          ...jobs.template.resources,
        },
      },
      'TestStack',
      os.tmpdir(),
    );
    let release!: () => void;
    const indexerBusy = new Promise<void>((resolve) => (release = resolve));
    let invoked!: () => void;
    const indexerInvoked = new Promise<void>((resolve) => (invoked = resolve));
    const starter = new StreamConsumer();
    const runtime = {
      invoke: async (functionArn: string, event: { Records: any[] }): Promise<InvokeResult> => {
        if (functionArn.endsWith(':Indexer')) {
          invoked();
          await indexerBusy;
          return { ok: true, result: null };
        }
        return starter.invoke(functionArn, event);
      },
    } as unknown as LocalLambdaRuntime;
    await dynamoDb.createTables(both);
    const mappings = new LocalDynamoDbStreamMappings(both, runtime, client, dynamoDb.endpoint);
    mappings.start();
    running.push(mappings);

    await put(profiles.table, 'p1');
    await indexerInvoked;
    await put(jobs.table, 'j1');
    // The Indexer has not returned, yet the Starter gets its record.
    await starter.received('j1');
    release();
  });
});
