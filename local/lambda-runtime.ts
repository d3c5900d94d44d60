import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { CloudFormationTemplate } from './cloudformation-template';
import { declaredRuntimeEnvironment } from './node-runtime';

export interface LambdaFunctionDefinition {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly codeDirectory: string;
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly logGroupName: string;
  /** Execution environments that may run at once (reserved concurrency, or a local default). */
  readonly maxConcurrency: number;
}

export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

/** `throttled`: refused before running, the function being at its concurrency limit (Lambda's 429). */
export type InvokeResult = { ok: true; result: unknown } | { ok: false; error: FunctionError; throttled?: boolean };

export interface InvokeOptions {
  /**
   * What an invocation does when the function already runs as many invocations as its
   * concurrency allows. `throttle`: fail at once with TooManyRequestsException, as Lambda
   * answers a synchronous caller (API Gateway). `wait`: wait for an execution environment to
   * come free, which is what Lambda's retries of asynchronous and poller-driven invocations
   * (event rules, stream mappings) and a Step Functions task's Retry on
   * Lambda.TooManyRequestsException come to, without the back-off delays. @default 'wait'
   */
  readonly whenBusy?: 'wait' | 'throttle';
}

/**
 * A failure the local stack injects into invocations of a function, as infrastructure would
 * cause it: `before` fails the invocation without running it; `after` runs it to the end,
 * then reports it failed (a crash or timeout after its side effects), so its caller retries.
 */
export interface InjectedFault {
  /** Matches functions whose logical id or name contains this text. */
  readonly function: string;
  /** How many invocations fail; -1 for all of them. */
  readonly count: number;
  readonly when: 'before' | 'after';
  readonly errorType: string;
  readonly errorMessage: string;
}

/** An injected fault at work: `failed` invocations so far, `remaining` to go (-1: no end). */
export interface ActiveFault extends InjectedFault {
  readonly remaining: number;
  readonly failed: number;
}

/** Where the functions' console output goes: the terminal, a file, nowhere. */
export type LogSink = (functionName: string, line: string) => void;

/**
 * How many invocations a function without reserved concurrency may run at once locally: the
 * account's unreserved concurrency (1,000 by default on AWS), kept small here because each
 * execution environment is a thread of this process (started only when needed).
 */
export const DEFAULT_UNRESERVED_CONCURRENCY = 16;
const WORKER_SCRIPT = path.join(__dirname, 'lambda-worker.cjs');

/**
 * Runs the template's AWS::Lambda::Function resources from their bundled assets, the way the
 * Lambda service would: each execution environment is a worker thread with the function's own
 * environment variables and a heap limited to its memory size; it serves one invocation at a
 * time, stays warm between them, and is discarded when an invocation times out or crashes it.
 */
export class LocalLambdaRuntime {
  private readonly pools = new Map<string, FunctionPool>();
  private faults: Array<InjectedFault & { remaining: number; failed: number }> = [];

  constructor(definitions: readonly LambdaFunctionDefinition[], logSink: LogSink) {
    for (const definition of definitions) {
      const pool = new FunctionPool(definition, logSink);
      this.pools.set(definition.logicalId, pool);
      this.pools.set(definition.name, pool);
      this.pools.set(definition.arn, pool);
    }
  }

  /**
   * Every function of the template. `serviceEnvironment` is what the Lambda service adds to a
   * function's own variables (region, credentials, the emulators' endpoints), the same for
   * every function or per function (its logical id).
   */
  static fromTemplate(
    template: CloudFormationTemplate,
    serviceEnvironment: Readonly<Record<string, string>> | ((logicalId: string) => Readonly<Record<string, string>>),
    logSink: LogSink,
    unreservedConcurrency = DEFAULT_UNRESERVED_CONCURRENCY,
  ): LocalLambdaRuntime {
    const definitions = template.ofType('AWS::Lambda::Function').map(([logicalId, resource]) => {
      const props = template.resolve(resource.Properties ?? {});
      const name = template.physicalName(logicalId);
      const memoryMb = Number(props.MemorySize ?? 128);
      const logGroupName = props.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
      return {
        logicalId,
        name,
        arn: template.attribute(logicalId, 'Arn'),
        codeDirectory: template.assetDirectory(logicalId),
        handler: String(props.Handler ?? 'index.handler'),
        timeoutMs: Number(props.Timeout ?? 3) * 1000,
        memoryMb,
        logGroupName,
        maxConcurrency: Number(props.ReservedConcurrentExecutions ?? unreservedConcurrency),
        environment: {
          ...(typeof serviceEnvironment === 'function' ? serviceEnvironment(logicalId) : serviceEnvironment),
          AWS_LAMBDA_FUNCTION_NAME: name,
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
          AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
          ...declaredRuntimeEnvironment(props.Runtime),
          ...(props.Environment?.Variables ?? {}),
        },
      } satisfies LambdaFunctionDefinition;
    });
    return new LocalLambdaRuntime(definitions, logSink);
  }

  /** The ARN of a function named by logical id, name or ARN (as it is given when unknown). */
  arnOf(functionId: string): string {
    return this.pools.get(functionId)?.definition.arn ?? functionId;
  }

  /** Names of the functions this runtime can invoke. */
  functionNames(): string[] {
    return [...new Set([...this.pools.values()].map((pool) => pool.definition.name))];
  }

  /** A synchronous invocation (RequestResponse) of a function by logical id, name or ARN. */
  async invoke(functionId: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const pool = this.pools.get(functionId);
    if (!pool) throw new Error(`No function ${functionId} in the template`);
    if (options.whenBusy === 'throttle' && !pool.hasCapacity()) return throttled(pool.definition);
    const fault = this.takeFault(pool.definition);
    if (fault?.when === 'before') return fail(fault.errorType, fault.errorMessage);
    const result = await pool.invoke(event);
    return fault ? fail(fault.errorType, fault.errorMessage) : result;
  }

  /** Makes upcoming invocations of a function fail (see InjectedFault). */
  injectFault(fault: InjectedFault): void {
    this.faults.push({ ...fault, remaining: fault.count, failed: 0 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /**
   * The most memory (heap and buffers) one execution environment of each function used in an
   * invocation since the last reset, in bytes, by function name.
   */
  memoryPeaks(): Record<string, number> {
    return Object.fromEntries(
      [...new Set(this.pools.values())].map((pool) => [pool.definition.name, pool.peakMemoryBytes]),
    );
  }

  resetMemoryPeaks(): void {
    for (const pool of new Set(this.pools.values())) pool.peakMemoryBytes = 0;
  }

  /** The injected faults, how many invocations each has failed and how many it has yet to fail. */
  listFaults(): ActiveFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  private takeFault(definition: LambdaFunctionDefinition): InjectedFault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining !== 0 &&
        (definition.logicalId.includes(candidate.function) || definition.name.includes(candidate.function)),
    );
    if (fault && fault.remaining > 0) fault.remaining -= 1;
    if (fault) fault.failed += 1;
    return fault;
  }

  async stop(): Promise<void> {
    await Promise.all([...new Set(this.pools.values())].map((pool) => pool.stop()));
  }
}

/**
 * Lambda's limit on an execution environment's init phase (loading the handler's module). The
 * function's timeout counts from the end of the init, not from the request: on Lambda an init
 * that takes longer than this is abandoned and run again within the invocation, whose timeout
 * then counts it.
 */
const INIT_PHASE_LIMIT_MS = 10_000;

interface Environment {
  readonly worker: Worker;
  /** Settles when the handler's module is loaded (true), or the environment crashed first (false). */
  readonly initialized: Promise<boolean>;
  pending?: { invocationId: string; settle: (result: InvokeResult) => void; timer: NodeJS.Timeout };
}

class FunctionPool {
  peakMemoryBytes = 0;
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private readonly waiting: Array<() => void> = [];
  private stopped = false;
  /** Invocations admitted and not finished (running, or about to get an environment). */
  private inFlight = 0;

  constructor(
    readonly definition: LambdaFunctionDefinition,
    private readonly logSink: LogSink,
  ) {}

  /** Whether an invocation would run now rather than wait for an execution environment. */
  hasCapacity(): boolean {
    return this.inFlight < this.definition.maxConcurrency;
  }

  async invoke(event: unknown): Promise<InvokeResult> {
    this.inFlight += 1;
    let environment: Environment;
    try {
      environment = await this.acquire();
    } catch (error) {
      this.inFlight -= 1;
      throw error;
    }
    const invocationId = randomUUID();
    // A cold environment first loads the handler (its init phase), outside the function's timeout.
    let initLimit: NodeJS.Timeout | undefined;
    const initialized = await Promise.race([
      environment.initialized,
      new Promise<boolean>((resolve) => (initLimit = setTimeout(() => resolve(true), INIT_PHASE_LIMIT_MS))),
    ]);
    clearTimeout(initLimit);
    if (!initialized) {
      this.release(environment);
      const crashed = fail('Runtime.ExitError', 'The execution environment exited during its init phase');
      this.logError(invocationId, crashed.error);
      return crashed;
    }
    return new Promise<InvokeResult>((resolve) => {
      const settle = (result: InvokeResult) => {
        clearTimeout(environment.pending?.timer);
        environment.pending = undefined;
        resolve(result);
      };
      const timer = setTimeout(() => {
        const timedOut = fail('Sandbox.Timedout', `Task timed out after ${this.definition.timeoutMs / 1000} seconds`);
        this.logError(invocationId, timedOut.error);
        settle(timedOut);
        this.discard(environment);
      }, this.definition.timeoutMs);
      environment.pending = { invocationId, settle, timer };
      environment.worker.postMessage({
        invocationId,
        requestId: invocationId,
        event,
        deadline: Date.now() + this.definition.timeoutMs,
      });
    }).finally(() => this.release(environment));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.all].map((environment) => environment.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private async acquire(): Promise<Environment> {
    for (;;) {
      if (this.stopped) throw new Error(`${this.definition.name}: the local runtime is stopping`);
      const idle = this.idle.pop();
      if (idle) return idle;
      if (this.all.size < this.definition.maxConcurrency) return this.start();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(environment: Environment): void {
    this.inFlight -= 1;
    if (this.all.has(environment) && !this.stopped) this.idle.push(environment);
    this.waiting.shift()?.();
  }

  /** A new execution environment: the cold start happens in its first invocation. */
  private start(): Environment {
    const { definition } = this;
    const worker = new Worker(WORKER_SCRIPT, {
      // Not this process's options: a worker inherits them, and with them the TypeScript loader
      // the local stack runs under (`--import tsx`), which the plain JavaScript of the worker
      // and the bundles never needs but every execution environment would load and route each
      // require through — over a second of each cold start on a 2-core machine, which Lambda
      // does not spend.
      execArgv: [],
      env: { ...lambdaDefinedEnvironment(definition), ...definition.environment },
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: definition.memoryMb },
      workerData: {
        codeDirectory: definition.codeDirectory,
        handler: definition.handler,
        functionName: definition.name,
        functionArn: definition.arn,
        memoryMb: definition.memoryMb,
        logGroupName: definition.logGroupName,
      },
    });
    let settleInit: (initialized: boolean) => void = () => undefined;
    const initialized = new Promise<boolean>((resolve) => (settleInit = resolve));
    const environment: Environment = { worker, initialized };
    for (const stream of [worker.stdout, worker.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => this.logSink(definition.name, line));
    }
    worker.on(
      'message',
      (message: {
        initialized?: boolean;
        invocationId: string;
        result?: unknown;
        error?: FunctionError;
        peakMemoryBytes?: number;
      }) => {
        if (message.initialized) return settleInit(true);
        if (environment.pending?.invocationId !== message.invocationId) return;
        this.peakMemoryBytes = Math.max(this.peakMemoryBytes, message.peakMemoryBytes ?? 0);
        if (message.error) this.logError(message.invocationId, message.error);
        environment.pending.settle(
          message.error ? { ok: false, error: message.error } : { ok: true, result: message.result },
        );
      },
    );
    const crashed = (reason: string) => {
      settleInit(false);
      if (environment.pending) this.logError(environment.pending.invocationId, fail('Runtime.ExitError', reason).error);
      environment.pending?.settle(fail('Runtime.ExitError', reason));
      this.discard(environment);
    };
    worker.on('error', (error) => crashed(`The execution environment crashed: ${error.message}`));
    worker.on('exit', (code) => crashed(`The execution environment exited (code ${code})`));
    this.all.add(environment);
    return environment;
  }

  /** What Lambda writes to the function's log when an invocation fails. */
  private logError(invocationId: string, error: FunctionError): void {
    this.logSink(
      this.definition.name,
      JSON.stringify({
        level: 'ERROR',
        requestId: invocationId,
        errorType: error.errorType,
        errorMessage: error.errorMessage,
        trace: error.trace,
      }),
    );
  }

  private discard(environment: Environment): void {
    if (!this.all.delete(environment)) return;
    const index = this.idle.indexOf(environment);
    if (index >= 0) this.idle.splice(index, 1);
    void environment.worker.terminate();
    this.waiting.shift()?.();
  }
}

/**
 * Variables the Lambda service defines in every execution environment, besides those of the
 * service's endpoints (see LocalLambdaRuntime.fromTemplate). With them the X-Ray SDK (under
 * Powertools' Tracer) finds itself on Lambda and reads each invocation's trace header
 * (`_X_AMZN_TRACE_ID`, set by the worker); without them it logged a source-mapped stack trace
 * of "Failed to get the current sub/segment" twice per invocation, which Lambda never shows
 * and which cost each cold start most of a second of CPU.
 */
function lambdaDefinedEnvironment(definition: LambdaFunctionDefinition): Record<string, string> {
  return {
    LAMBDA_TASK_ROOT: definition.codeDirectory,
    _HANDLER: definition.handler,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  };
}

/** Lambda's answer to a synchronous invocation past the function's concurrency. */
function throttled(definition: LambdaFunctionDefinition): InvokeResult {
  return {
    ok: false,
    throttled: true,
    error: {
      errorType: 'TooManyRequestsException',
      errorMessage: `Rate Exceeded. ${definition.name} is running ${definition.maxConcurrency} invocations, its concurrency limit`,
      trace: [],
    },
  };
}

function fail(errorType: string, errorMessage: string): { ok: false; error: FunctionError } {
  return { ok: false, error: { errorType, errorMessage, trace: [] } };
}

/**
 * The folder that provides `@aws-sdk/*` to the bundles, as the Node.js runtime of Lambda does
 * through NODE_PATH (the bundles leave the SDK out, so it must come from somewhere).
 */
export function runtimeProvidedModules(): string {
  const sdkPackage = require.resolve('@aws-sdk/client-dynamodb/package.json');
  return path.resolve(path.dirname(sdkPackage), '..', '..');
}
