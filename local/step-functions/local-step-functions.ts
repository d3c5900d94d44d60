import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudFormationTemplate } from '../cloudformation-template';
import { LOCAL_ENVIRONMENT } from '../cloudformation-template';
import type { LocalLambdaRuntime } from '../lambda-runtime';
import { unsupportedLocalFeatures } from './local-compatibility';
import { taskHandlersFor, type TaskHandler } from './task-handlers';

// aws-local-stepfunctions uses Promise.withResolvers (Node 22); this machine runs Node 20.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
}

interface LocalStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly definition: { StartAt: string; States: Record<string, unknown>; TimeoutSeconds?: number };
  readonly handlers: Record<string, TaskHandler>;
  /**
   * The definition, validated once: aws-local-stepfunctions validates a definition (a JSON
   * schema compiled by ajv) whenever a StateMachine is constructed, about 200 ms of CPU each
   * time, and its `run` keeps no state between executions.
   */
  readonly stateMachine: InstanceType<typeof StateMachine>;
}

/** What EventBridge receives from Step Functions when an execution changes status. */
export type ExecutionStatusChangeEvent = Record<string, unknown>;

export interface LocalStepFunctionsOptions {
  readonly template: CloudFormationTemplate;
  readonly lambda: LocalLambdaRuntime;
  readonly dynamoDb: DynamoDBClient;
  /** Where executions are kept, so a restart of the local stack resumes the running ones. */
  readonly stateFile?: string;
  /** Receives each status change, as Step Functions sends them to EventBridge. */
  readonly onStatusChange?: (event: ExecutionStatusChangeEvent) => void;
  readonly log?: (line: string) => void;
  /** Receives each AWS call a state machine's role makes (by the state machine's logical id). */
  readonly recordCall?: (stateMachine: string, access: { operation: string; action: string; resource: string }) => void;
}

/**
 * Step Functions for the local stack: the template's state machines, run by
 * aws-local-stepfunctions with every Task resolved to the bundled functions or DynamoDB
 * Local, behind the Step Functions API (StartExecution, StopExecution, DescribeExecution) that
 * the functions call through the AWS SDK. Executions are kept in a file: after a restart, the
 * ones still running start again from their input (the workflow's steps are idempotent), as
 * the real service would carry them on.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, LocalStateMachine>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();
  private server?: http.Server;
  private stopping = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    const { template } = options;
    for (const [logicalId, resource] of template.ofType('AWS::StepFunctions::StateMachine')) {
      const props = template.resolve(resource.Properties ?? {});
      const definition =
        typeof props.DefinitionString === 'string' ? JSON.parse(props.DefinitionString) : props.Definition;
      const unsupported = unsupportedLocalFeatures(definition);
      if (unsupported.length > 0) {
        throw new Error(`State machine ${logicalId} uses what the local stack cannot run: ${unsupported.join('; ')}`);
      }
      const arn = template.attribute(logicalId, 'Arn');
      this.machines.set(arn, {
        arn,
        name: template.physicalName(logicalId),
        definition,
        stateMachine: new StateMachine(definition as never, {
          validationOptions: { checkArn: false, checkPaths: false },
        }),
        handlers: taskHandlersFor(definition, {
          lambda: options.lambda,
          dynamoDb: options.dynamoDb,
          recordCall: options.recordCall && ((access) => options.recordCall!(logicalId, access)),
          stateMachineArn: template.attribute(logicalId, 'Arn'),
        }),
      });
    }
    for (const record of this.load()) this.executions.set(record.executionArn, record);
  }

  /** Serves the Step Functions API (AWS JSON 1.0) on `port` and resumes the executions left running. */
  async listen(port = 0): Promise<string> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const target = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
        const reply = (status: number, body: unknown) => {
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
          response.end(JSON.stringify(body));
        };
        try {
          reply(200, this.call(target, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
        } catch (error) {
          reply(400, { __type: (error as Error).name, message: (error as Error).message });
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    for (const record of this.executions.values()) {
      if (record.status === 'RUNNING') {
        this.options.log?.(`Resuming execution ${record.name} after a restart of the local stack`);
        this.run(record);
      }
    }
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops serving; running executions stay RUNNING in the state file, to resume next time. */
  async close(): Promise<void> {
    this.stopping = true;
    for (const { abort } of this.running.values()) abort();
    await Promise.all([...this.running.values()].map(({ done }) => done));
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }

  /** Resolves once no execution is running (tests and benchmarks wait on it). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map(({ done }) => done));
  }

  describe(executionArn: string): ExecutionRecord | undefined {
    return this.executions.get(executionArn);
  }

  private call(action: string, request: Record<string, any>): unknown {
    switch (action) {
      case 'StartExecution':
        return this.startExecution(request.stateMachineArn, request.name ?? randomUUID(), request.input ?? '{}');
      case 'StopExecution':
        return this.stopExecution(request.executionArn, request.error, request.cause);
      case 'DescribeExecution': {
        const record = this.executions.get(request.executionArn);
        if (!record) throw named('ExecutionDoesNotExist', `Execution Does Not Exist: '${request.executionArn}'`);
        return {
          ...record,
          startDate: record.startDate / 1000,
          ...(record.stopDate && { stopDate: record.stopDate / 1000 }),
        };
      }
      default:
        throw named('UnknownOperationException', `The local stack does not implement ${action}`);
    }
  }

  private startExecution(stateMachineArn: string, name: string, input: string) {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw named('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw named('InvalidName', `Invalid Name: '${name}'`);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Standard workflows: the same name and input while running is the same execution.
      if (existing.status === 'RUNNING' && existing.input === input)
        return { executionArn, startDate: existing.startDate / 1000 };
      throw named('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate: Date.now(),
    };
    this.executions.set(executionArn, record);
    this.save();
    this.run(record);
    return { executionArn, startDate: record.startDate / 1000 };
  }

  private stopExecution(executionArn: string, error?: string, cause?: string) {
    const record = this.executions.get(executionArn);
    if (!record) throw named('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    if (record.status === 'RUNNING') {
      this.finish(record, { status: 'ABORTED', ...(error && { error }), ...(cause && { cause }) });
      this.running.get(executionArn)?.abort();
    }
    return { stopDate: (record.stopDate ?? Date.now()) / 1000 };
  }

  private run(record: ExecutionRecord): void {
    const machine = this.machines.get(record.stateMachineArn);
    if (!machine) {
      this.finish(record, { status: 'FAILED', error: 'States.Runtime', cause: 'The state machine no longer exists' });
      return;
    }
    const execution = machine.stateMachine.run(JSON.parse(record.input), {
      overrides: { taskResourceLocalHandlers: machine.handlers },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          Input: JSON.parse(record.input),
          StartTime: new Date(record.startDate).toISOString(),
          RoleArn: `arn:aws:iam::${LOCAL_ENVIRONMENT.accountId}:role/local`,
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    } as never);
    const done = (execution.result as Promise<unknown>)
      .then((output) => {
        if (this.stopping || record.status !== 'RUNNING') return;
        this.finish(record, { status: 'SUCCEEDED', output: JSON.stringify(output) });
      })
      .catch((failure: Error & { cause?: Error }) => {
        if (this.stopping || record.status !== 'RUNNING') return;
        if (failure.name === 'ExecutionTimeoutError') {
          this.finish(record, { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' });
        } else {
          const caught = failure.cause ?? failure;
          this.finish(record, { status: 'FAILED', error: caught.name, cause: caught.message });
        }
      })
      .finally(() => this.running.delete(record.executionArn));
    this.running.set(record.executionArn, { abort: () => execution.abort(), done });
  }

  private finish(record: ExecutionRecord, outcome: Partial<ExecutionRecord> & { status: ExecutionStatus }): void {
    Object.assign(record, outcome, { stopDate: Date.now() });
    this.save();
    this.options.log?.(`Execution ${record.name} ${record.status}${record.error ? ` (${record.error})` : ''}`);
    this.options.onStatusChange?.({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: LOCAL_ENVIRONMENT.accountId,
      time: new Date(record.stopDate!).toISOString(),
      region: LOCAL_ENVIRONMENT.region,
      resources: [record.executionArn],
      detail: {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: record.startDate,
        stopDate: record.stopDate,
        input: record.input,
        output: record.output ?? null,
        error: record.error ?? null,
        cause: record.cause ?? null,
      },
    });
  }

  private load(): ExecutionRecord[] {
    const file = this.options.stateFile;
    if (!file || !fs.existsSync(file)) return [];
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutionRecord[];
  }

  private save(): void {
    const file = this.options.stateFile;
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify([...this.executions.values()]));
    fs.renameSync(temporary, file);
  }
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
