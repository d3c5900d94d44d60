import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalLambdaRuntime, type LambdaFunctionDefinition } from '../../local/lambda-runtime';
import { waitFor } from '../../local/local-network';

const HANDLER = `
let invocations = 0;
const name = process.env.GREETING;
exports.handler = async (event, context) => {
  invocations += 1;
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.fail) throw new TypeError('asked to fail');
  if (event.exit) process.exit(3);
  console.log('log line from ' + name);
  return { name, invocations, remaining: context.getRemainingTimeInMillis(), requestId: context.awsRequestId };
};
`;

function definition(codeDirectory: string, name: string, greeting: string, timeoutMs = 2000): LambdaFunctionDefinition {
  return {
    logicalId: `${name}Id`,
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    codeDirectory,
    handler: 'index.handler',
    environment: { GREETING: greeting },
    timeoutMs,
    memoryMb: 128,
    logGroupName: `/aws/lambda/${name}`,
    maxConcurrency: 2,
  };
}

describe('local Lambda runtime', () => {
  const codeDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-runtime-'));
  fs.writeFileSync(path.join(codeDirectory, 'index.js'), HANDLER);
  const logs: string[] = [];
  const runtime = new LocalLambdaRuntime(
    [definition(codeDirectory, 'Hello', 'hello'), definition(codeDirectory, 'Bye', 'bye', 300)],
    (name, line) => logs.push(`${name}: ${line}`),
  );

  afterAll(async () => {
    await runtime.stop();
    fs.rmSync(codeDirectory, { recursive: true, force: true });
  });

  it('gives each function its own environment variables and keeps environments warm', async () => {
    const first = await runtime.invoke('Hello', {});
    const second = await runtime.invoke('HelloId', {});
    const other = await runtime.invoke('arn:aws:lambda:us-east-1:000000000000:function:Bye', {});
    expect(first).toEqual({ ok: true, result: expect.objectContaining({ name: 'hello', invocations: 1 }) });
    expect(second).toEqual({ ok: true, result: expect.objectContaining({ name: 'hello', invocations: 2 }) });
    expect(other).toEqual({ ok: true, result: expect.objectContaining({ name: 'bye', invocations: 1 }) });
    expect((first as { result: { remaining: number } }).result.remaining).toBeGreaterThan(1000);
    // The worker's console output arrives through its own channel, a moment after the result.
    await waitFor(async () => expect(logs).toContain('Hello: log line from hello'), 5_000, 10);
  });

  it('reports a thrown error as a function error and logs it', async () => {
    const result = await runtime.invoke('Hello', { fail: true });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ errorType: 'TypeError', errorMessage: 'asked to fail' }),
    });
    expect(logs.some((line) => line.includes('"errorType":"TypeError"'))).toBe(true);
  });

  it('stops an invocation at the function timeout and starts a fresh environment afterwards', async () => {
    const timedOut = await runtime.invoke('Bye', { sleepMs: 2000 });
    expect(timedOut).toEqual({ ok: false, error: expect.objectContaining({ errorType: 'Sandbox.Timedout' }) });
    const next = await runtime.invoke('Bye', {});
    expect(next).toEqual({ ok: true, result: expect.objectContaining({ name: 'bye' }) });
  });

  it('survives a function that exits its process', async () => {
    const crashed = await runtime.invoke('Hello', { exit: true });
    expect(crashed).toEqual({ ok: false, error: expect.objectContaining({ errorType: 'Runtime.ExitError' }) });
    expect(await runtime.invoke('Hello', {})).toEqual({
      ok: true,
      result: expect.objectContaining({ invocations: 1 }),
    });
  });

  it('runs at most maxConcurrency invocations of a function at once', async () => {
    const started = Date.now();
    await Promise.all([1, 2, 3].map(() => runtime.invoke('Hello', { sleepMs: 300 })));
    // Two environments: the third invocation waits for one of them.
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('GIVEN a function at its concurrency WHEN more synchronous invocations come than it allows THEN the extra ones get 429 TooManyRequestsException at once, and queued ones run later', async () => {
    const running = [runtime.invoke('Hello', { sleepMs: 400 }), runtime.invoke('Hello', { sleepMs: 400 })];
    // Asked to queue (an async or poller-driven invocation): waits for an environment.
    const queued = runtime.invoke('Hello', {}, { whenBusy: 'wait' });
    const refused = await Promise.all([1, 2, 3].map(() => runtime.invoke('Hello', {}, { whenBusy: 'throttle' })));
    for (const result of refused) {
      expect(result).toEqual({
        ok: false,
        throttled: true,
        error: expect.objectContaining({ errorType: 'TooManyRequestsException' }),
      });
    }
    // The refusals came while the first two were running: nothing else had finished.
    expect(await Promise.all(running)).toEqual([
      expect.objectContaining({ ok: true }),
      expect.objectContaining({ ok: true }),
    ]);
    expect(await queued).toEqual(expect.objectContaining({ ok: true }));
    // Capacity is back once they have finished.
    expect(await runtime.invoke('Hello', {}, { whenBusy: 'throttle' })).toEqual(expect.objectContaining({ ok: true }));
  });
});

describe('local Lambda runtime: the init phase', () => {
  const codeDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-init-'));
  fs.mkdirSync(path.join(codeDirectory, 'slow'));
  fs.mkdirSync(path.join(codeDirectory, 'dies'));
  // Loading takes 800 ms (a synchronous wait at module scope), longer than the 300 ms timeout.
  fs.writeFileSync(
    path.join(codeDirectory, 'slow', 'index.js'),
    `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 800);
exports.handler = async (event, context) => ({ loaded: true, remaining: context.getRemainingTimeInMillis() });`,
  );
  fs.writeFileSync(path.join(codeDirectory, 'dies', 'index.js'), 'process.exit(7);');
  const runtime = new LocalLambdaRuntime(
    [
      { ...definition(path.join(codeDirectory, 'slow'), 'SlowInit', 'slow', 300), maxConcurrency: 1 },
      { ...definition(path.join(codeDirectory, 'dies'), 'DiesInInit', 'dies', 300), maxConcurrency: 1 },
    ],
    () => undefined,
  );

  afterAll(async () => {
    await runtime.stop();
    fs.rmSync(codeDirectory, { recursive: true, force: true });
  });

  it('GIVEN a handler whose module takes longer to load than the function timeout WHEN invoked cold THEN the invocation succeeds with its whole timeout ahead of it, as on Lambda (the timeout counts from the end of the init)', async () => {
    const result = await runtime.invoke('SlowInit', {});
    expect(result).toEqual({ ok: true, result: expect.objectContaining({ loaded: true }) });
    expect((result as { result: { remaining: number } }).result.remaining).toBeGreaterThan(200);
  });

  it('GIVEN a handler whose module exits while loading WHEN invoked THEN the invocation fails with Runtime.ExitError instead of waiting for a timeout', async () => {
    const result = await runtime.invoke('DiesInInit', {});
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ errorType: 'Runtime.ExitError' }) });
  });
});
