import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CloudFormationTemplate } from '../../local/cloudformation-template';
import { LocalEventBus } from '../../local/event-bus';
import { LocalEventBridgeApi } from '../../local/eventbridge-api';
import type { LocalLambdaRuntime } from '../../local/lambda-runtime';
import { LOCAL_CREDENTIALS } from '../../local/local-network';
import { repairEmptyMaps } from '../../local/dynamodb-stream-mappings';

/** A template with one rule on a bus of its own, targeting a function. */
const template = new CloudFormationTemplate(
  {
    Resources: {
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'jobs' } },
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      OnJobEnded: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: { source: ['export-jobs'], detail: { status: ['SUCCEEDED'] } },
          Targets: [{ Id: 'fn', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }],
        },
      },
    },
  } as never,
  'TestStack',
  '/tmp',
);

describe('local EventBridge API', () => {
  const invoked: unknown[] = [];
  const lambda = {
    invoke: async (_arn: string, event: unknown) => {
      invoked.push(event);
      return { ok: true as const, result: null };
    },
  } as unknown as LocalLambdaRuntime;
  const bus = new LocalEventBus(template, lambda);
  const api = new LocalEventBridgeApi(bus);
  let client: EventBridgeClient;

  beforeAll(async () => {
    const endpoint = await api.listen(0);
    client = new EventBridgeClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  });
  afterAll(() => api.close());

  it('GIVEN a PutEvents call from the AWS SDK WHEN an entry matches a rule of its bus THEN the rule target gets the event as EventBridge shapes it', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'jobs',
            Source: 'export-jobs',
            DetailType: 'Export Job Ended',
            Detail: '{"status":"SUCCEEDED"}',
          },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(0);
    await bus.drain();
    expect(invoked).toEqual([
      expect.objectContaining({
        source: 'export-jobs',
        'detail-type': 'Export Job Ended',
        detail: { status: 'SUCCEEDED' },
        id: result.Entries![0].EventId,
      }),
    ]);
  });

  it('GIVEN an event on another bus or not matching WHEN it is put THEN no target runs, and the journal still records it', async () => {
    invoked.length = 0;
    await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'export-jobs', DetailType: 'Export Job Ended', Detail: '{"status":"SUCCEEDED"}' },
          {
            EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/jobs',
            Source: 'export-jobs',
            DetailType: 'x',
            Detail: '{"status":"FAILED"}',
          },
        ],
      }),
    );
    await bus.drain();
    expect(invoked).toEqual([]);
    expect(
      bus
        .published()
        .slice(-2)
        .map((entry) => entry.eventBusName),
    ).toEqual(['default', 'jobs']);
  });

  it('GIVEN an entry whose detail is not a JSON object WHEN it is put THEN that entry fails and the others pass', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 's', DetailType: 'd', Detail: 'not json' },
          { Source: 's', DetailType: 'd', Detail: '{}' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries![0].ErrorCode).toBe('MalformedDetail');
    expect(result.Entries![1].EventId).toEqual(expect.any(String));
  });
});

describe('stream records of DynamoDB Local', () => {
  it('GIVEN an image with empty maps written as {} WHEN repaired THEN they read {"M":{}} at any depth, and empty lists stay', () => {
    expect(
      repairEmptyMaps({
        metrics: { M: { byNamespace: {}, total: { N: '0' } } },
        errors: { L: [] },
        nested: { L: [{}, { S: 'x' }] },
      }),
    ).toEqual({
      metrics: { M: { byNamespace: { M: {} }, total: { N: '0' } } },
      errors: { L: [] },
      nested: { L: [{ M: {} }, { S: 'x' }] },
    });
  });
});
