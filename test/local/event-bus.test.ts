import * as os from 'node:os';
import { CloudFormationTemplate, type CfnResource } from '../../local/cloudformation-template';
import { LocalEventBus } from '../../local/event-bus';
import type { InvokeResult, LocalLambdaRuntime } from '../../local/lambda-runtime';

const ENDED_PATTERN = {
  source: ['aws.states'],
  'detail-type': ['Step Functions Execution Status Change'],
  detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
};

function lambdaTarget(functionId: string, retries?: number) {
  return {
    Id: functionId,
    Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
    ...(retries !== undefined && { RetryPolicy: { MaximumRetryAttempts: retries } }),
  };
}

function template(rules: Record<string, Record<string, unknown>>): CloudFormationTemplate {
  const resources: Record<string, CfnResource> = {
    OnEnded: { Type: 'AWS::Lambda::Function' },
    Audit: { Type: 'AWS::Lambda::Function' },
    DeadLetters: { Type: 'AWS::SQS::Queue' },
  };
  for (const [logicalId, properties] of Object.entries(rules))
    resources[logicalId] = { Type: 'AWS::Events::Rule', Properties: properties };
  return new CloudFormationTemplate({ Resources: resources }, 'TestStack', os.tmpdir());
}

/** A Lambda runtime that fails the first `failures` invocations of each function, recording every one. */
class CountingRuntime {
  readonly invocations: Array<{ functionId: string; event: any }> = [];
  constructor(private readonly failures: Readonly<Record<string, number>> = {}) {}
  async invoke(functionId: string, event: unknown): Promise<InvokeResult> {
    this.invocations.push({ functionId, event });
    const attempt = this.invocations.filter((invocation) => invocation.functionId === functionId).length;
    const name = functionId.split(':').pop()!;
    return attempt <= (this.failures[name] ?? 0)
      ? { ok: false, error: { errorType: 'Error', errorMessage: 'down', trace: [] } }
      : { ok: true, result: null };
  }
  asRuntime(): LocalLambdaRuntime {
    return this as unknown as LocalLambdaRuntime;
  }
  functionsInvoked(): string[] {
    return this.invocations.map((invocation) => invocation.functionId.split(':').pop()!);
  }
}

const event = (status: string) => ({
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: { status, name: `execution-${status}` },
});

describe('LocalEventBus (the default bus with the template’s rules)', () => {
  it('GIVEN rules with patterns WHEN events are put THEN each matching rule’s Lambda targets get the event, by ARN', async () => {
    const runtime = new CountingRuntime();
    const bus = new LocalEventBus(
      template({
        Ended: { EventPattern: ENDED_PATTERN, Targets: [lambdaTarget('OnEnded'), lambdaTarget('Audit')] },
        Everything: { EventPattern: { source: ['aws.states'] }, Targets: [lambdaTarget('Audit')] },
      }),
      runtime.asRuntime(),
    );
    bus.put(event('ABORTED'));
    bus.put(event('SUCCEEDED'));
    await bus.drain();
    expect(runtime.invocations.map(({ functionId, event }) => [functionId, event.detail.status]).sort()).toEqual([
      ['arn:aws:lambda:us-east-1:000000000000:function:Audit', 'ABORTED'],
      ['arn:aws:lambda:us-east-1:000000000000:function:Audit', 'ABORTED'],
      ['arn:aws:lambda:us-east-1:000000000000:function:Audit', 'SUCCEEDED'],
      ['arn:aws:lambda:us-east-1:000000000000:function:OnEnded', 'ABORTED'],
    ]);
  });

  it('GIVEN a disabled rule, a rule without a pattern and a non-Lambda target WHEN a matching event is put THEN none of them is invoked', async () => {
    const runtime = new CountingRuntime();
    const bus = new LocalEventBus(
      template({
        Disabled: { EventPattern: ENDED_PATTERN, State: 'DISABLED', Targets: [lambdaTarget('OnEnded')] },
        Scheduled: { ScheduleExpression: 'rate(1 minute)', Targets: [lambdaTarget('OnEnded')] },
        ToQueue: { EventPattern: ENDED_PATTERN, Targets: [{ Id: 'q', Arn: { 'Fn::GetAtt': ['DeadLetters', 'Arn'] } }] },
        Audited: { EventPattern: ENDED_PATTERN, Targets: [lambdaTarget('Audit')] },
      }),
      runtime.asRuntime(),
    );
    bus.put(event('FAILED'));
    // drain() resolves once every delivery begun by put() has ended: all invocations are in.
    await bus.drain();
    expect(runtime.functionsInvoked()).toEqual(['Audit']);
  });

  it('GIVEN a target that fails twice WHEN an event is delivered THEN it is retried until it succeeds, and nothing is logged', async () => {
    const runtime = new CountingRuntime({ OnEnded: 2 });
    const log: string[] = [];
    const bus = new LocalEventBus(
      template({ Ended: { EventPattern: ENDED_PATTERN, Targets: [lambdaTarget('OnEnded', 5)] } }),
      runtime.asRuntime(),
      (line) => log.push(line),
    );
    bus.put(event('TIMED_OUT'));
    await bus.drain();
    expect(runtime.functionsInvoked()).toEqual(['OnEnded', 'OnEnded', 'OnEnded']);
    expect(log).toEqual([]);
  });

  it('GIVEN a target that keeps failing WHEN an event is delivered THEN it gets 1 + MaximumRetryAttempts invocations and the loss is logged', async () => {
    const runtime = new CountingRuntime({ OnEnded: 100 });
    const log: string[] = [];
    const bus = new LocalEventBus(
      template({ Ended: { EventPattern: ENDED_PATTERN, Targets: [lambdaTarget('OnEnded', 1)] } }),
      runtime.asRuntime(),
      (line) => log.push(line),
    );
    bus.put(event('FAILED'));
    await bus.drain();
    expect(runtime.functionsInvoked()).toEqual(['OnEnded', 'OnEnded']);
    expect(log).toEqual([
      'Event delivery to arn:aws:lambda:us-east-1:000000000000:function:OnEnded failed after its retries',
    ]);
  });
});
