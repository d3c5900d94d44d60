'use strict';
// One Lambda execution environment: loads a bundled handler once (the cold start) and runs one
// invocation at a time, as the Lambda service does. Plain JavaScript because it runs inside a
// worker thread, outside the TypeScript loader of the parent.
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const v8 = require('node:v8');
const { randomBytes } = require('node:crypto');

// The memory this execution environment uses (its heap and its buffers), sampled while an
// invocation runs so that its peak can be reported with its result. Only then: an idle
// environment (a warm one waiting for its next invocation, as most are) wakes up for nothing,
// and dozens of them sampling every 10 ms cost a 2-core machine CPU that Lambda does not spend.
let peakMemoryBytes = 0;
function sampleMemory() {
  const heap = v8.getHeapStatistics();
  peakMemoryBytes = Math.max(peakMemoryBytes, heap.used_heap_size + heap.external_memory);
}

const { codeDirectory, handler, functionName, functionArn, memoryMb, logGroupName } = workerData;
if ((process.env.NODE_OPTIONS || '').includes('--enable-source-maps') && process.setSourceMapsEnabled) {
  process.setSourceMapsEnabled(true);
}

const separator = handler.lastIndexOf('.');
const modulePath = path.join(codeDirectory, handler.slice(0, separator));
const exportName = handler.slice(separator + 1);

let handlerFunction;
let initError;
try {
  handlerFunction = require(modulePath)[exportName];
  if (typeof handlerFunction !== 'function') throw new Error(`${handler} is not a function in ${modulePath}`);
} catch (error) {
  initError = error;
}
// The init phase is over (a failed init is reported by the first invocation, as Lambda does):
// the function's timeout counts from here.
parentPort.postMessage({ initialized: true });

/** An X-Ray trace header: Root=1-<epoch seconds, hex>-<96 random bits>;Parent=<64 random bits>;Sampled=0. */
function traceHeader() {
  const epoch = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

function describe(error) {
  return {
    errorType: (error && error.name) || 'Error',
    errorMessage: (error && error.message) || String(error),
    trace: error && error.stack ? String(error.stack).split('\n') : [],
  };
}

parentPort.on('message', async ({ invocationId, requestId, event, deadline }) => {
  peakMemoryBytes = 0;
  sampleMemory();
  const sampler = setInterval(sampleMemory, 10);
  // The invocation's X-Ray trace header, as the Lambda runtime sets it: a new trace, not sampled
  // (the local stack sends no traces anywhere).
  process.env._X_AMZN_TRACE_ID = traceHeader();
  const context = {
    awsRequestId: requestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(memoryMb),
    logGroupName,
    logStreamName: `local/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    if (initError) throw initError;
    const result = await new Promise((resolve, reject) => {
      const returned = handlerFunction(event, context, (error, value) => (error ? reject(error) : resolve(value)));
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    });
    sampleMemory();
    parentPort.postMessage({ invocationId, result: result === undefined ? null : result, peakMemoryBytes });
  } catch (error) {
    sampleMemory();
    parentPort.postMessage({ invocationId, error: describe(error), peakMemoryBytes });
  } finally {
    clearInterval(sampler);
  }
});
