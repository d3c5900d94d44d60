import { MAX_MERGE_POLICY_VERSION, MAX_REQUEST_BODY_BYTES } from '../../lambda/contract/create-job-request';
import { PROFILE_STORE } from '../../lambda/contract/profile-store';
import { AttributeMergeSchema, MAX_PRECEDENCE_DATASETS } from '../../lambda/contract/merge-policy';
import { compileSchema } from '../../lambda/domain/schema-validator';

const attributeMergeValidator = compileSchema(AttributeMergeSchema);
const isValidAttributeMerge = (value: unknown) => attributeMergeValidator.validate(value).ok;
import {
  MAX_CAUGHT_ERROR_BYTES,
  MAX_WORKFLOW_JOB_BYTES,
  STEP_FUNCTIONS_PAYLOAD_LIMIT_BYTES,
  WORKFLOW_STATES,
  type ExportFailureInput,
  type ExportPlanOutput,
  type PlanExportInput,
  type ShardTask,
  type ShardTaskResult,
} from '../../lambda/contract/workflow';
import { parseCreateJobBody, type CreateJobCommand } from '../../lambda/domain/create-job-command';
import { InvalidRequestError } from '../../lambda/domain/errors';
import { executionInputOf } from '../../lambda/domain/export/start-export';
import { newJob } from '../../lambda/domain/new-job';
import { workflowJobBytes } from '../../lambda/domain/workflow-budget';
import { maximalId, maximalRequest as sharedMaximalRequest } from './support/maximal-requests';

/** A request at every bound, with the optional members too (timestamps, merge policy, flags). */
function maximalRequest(segments: number, char: string): Record<string, unknown> {
  const request = sharedMaximalRequest(segments, { char }) as Record<string, any>;
  const time = '2026-01-01T00:00:00.000000000+00:00';
  return {
    ...request,
    mergePolicy: { id: maximalId(0, char), version: MAX_MERGE_POLICY_VERSION },
    filter: {
      ...request.filter,
      segmentQualificationTime: { startTime: time, endTime: time },
      fromIngestTimestamp: time,
      emptyProfiles: true,
    },
    additionalFields: {
      eventList: {
        ...request.additionalFields.eventList,
        filter: { fromIngestTimestamp: time, toIngestTimestamp: time },
      },
    },
    evaluationInfo: { segmentation: false },
  };
}

function accepted(body: Record<string, unknown>): CreateJobCommand | undefined {
  const text = JSON.stringify(body);
  if (Buffer.byteLength(text) > MAX_REQUEST_BODY_BYTES) return undefined;
  try {
    return parseCreateJobBody(text);
  } catch (error) {
    if (error instanceof InvalidRequestError) return undefined;
    throw error;
  }
}

/** The largest accepted request of the heaviest kind: the most segments of control-character ids. */
function largestAcceptedCommand(): CreateJobCommand {
  let found: CreateJobCommand | undefined;
  for (let segments = 1; segments <= 100; segments++) {
    const command = accepted(maximalRequest(segments, '\u0001'));
    if (!command) break;
    found = command;
  }
  if (!found) throw new Error('not even one segment of control-character ids is accepted');
  return found;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('Step Functions payload limits', () => {
  it('GIVEN a maximal request with plain identifiers WHEN it is parsed THEN it is accepted: the bound refuses only the pathological', () => {
    const command = accepted(maximalRequest(100, 'x'));
    expect(command).toBeDefined();
    expect(workflowJobBytes(command!)).toBeLessThanOrEqual(MAX_WORKFLOW_JOB_BYTES);
  });

  it('GIVEN a request whose job would pass the workflow budget WHEN it is parsed THEN it is a 400 saying by how much', () => {
    const body = JSON.stringify(maximalRequest(40, '\u0001'));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_REQUEST_BODY_BYTES);
    expect(() => parseCreateJobBody(body)).toThrow(InvalidRequestError);
    try {
      parseCreateJobBody(body);
    } catch (error) {
      expect((error as InvalidRequestError).errors).toEqual([
        {
          path: '',
          code: 'too_large',
          message: expect.stringMatching(/^the job would weigh \d+ bytes in the export workflow; at most 163840/),
        },
      ]);
    }
  });

  it('GIVEN a dataSetPrecedence order WHEN a policy is validated THEN it holds at most MAX_PRECEDENCE_DATASETS ids of 128 characters JSON does not escape, the weight the job budget assumes', () => {
    const order = (count: number, id: (index: number) => string) => ({
      type: 'dataSetPrecedence',
      order: Array.from({ length: count }, (_, index) => id(index)),
    });
    expect(isValidAttributeMerge(order(MAX_PRECEDENCE_DATASETS, (i) => `${i}`.padEnd(128, 'x')))).toBe(true);
    expect(isValidAttributeMerge(order(MAX_PRECEDENCE_DATASETS + 1, (i) => `d${i}`))).toBe(false);
    expect(isValidAttributeMerge(order(1, () => 'x'.repeat(129)))).toBe(false);
    expect(isValidAttributeMerge(order(1, () => 'a"b'))).toBe(false);
    expect(isValidAttributeMerge(order(1, () => '\u0001'))).toBe(false);
  });

  it('GIVEN the largest accepted job and the most shards WHEN it runs THEN every execution input and state input or output stays under 256 KiB', () => {
    const command = largestAcceptedCommand();
    // The heaviest tenant, id and times the job could get (what the budget assumes too).
    const job = newJob(command, {
      id: Number.MAX_SAFE_INTEGER,
      tenant: { orgId: '"'.repeat(256), sandboxName: '"'.repeat(256) },
      profileInstanceId: '"'.repeat(256),
      format: 'parquet',
      requestId: 'r'.repeat(64),
      now: 9_999_999_999_999,
      newBatchId: () => 'f'.repeat(32),
      executionId: 'e'.repeat(1024),
      mergePolicy: { id: command.mergePolicy!.id, version: MAX_MERGE_POLICY_VERSION },
    });
    // With the heaviest merge rule a policy can have: the most datasets, each id at its longest.
    const attributeMerge = {
      type: 'dataSetPrecedence' as const,
      order: Array.from({ length: MAX_PRECEDENCE_DATASETS }, (_, index) => `${index}`.padEnd(128, '-')),
    };
    expect(isValidAttributeMerge(attributeMerge)).toBe(true);
    const execution = executionInputOf({ ...job, attributeMerge });
    // The search found a job close to the budget, not a small one.
    expect(bytes(execution.job)).toBeGreaterThan(MAX_WORKFLOW_JOB_BYTES - 8 * 1024);
    expect(bytes(execution.job)).toBeLessThanOrEqual(MAX_WORKFLOW_JOB_BYTES);

    const shards = Array.from({ length: PROFILE_STORE.buckets }, (_, shard) => shard);
    const plan: ExportPlanOutput = { shards, startedAt: 9_999_999_999_999 };
    const planInput: PlanExportInput = { ...execution, executionId: 'arn:'.padEnd(2048, 'x') };
    const afterPlan = { ...execution, plan };
    const lastShard = shards[shards.length - 1];
    const item: ShardTask = { job: execution.job, shard: lastShard, sequence: 0 };
    const pageResult: ShardTaskResult = {
      job: execution.job,
      shard: lastShard,
      cursor: 'p'.repeat(128),
      sequence: Number.MAX_SAFE_INTEGER,
      done: false,
    };
    // ShardExported has OutputPath null: each child returns {} (checked on the definition by
    // the construct test), and the Map collects one per shard.
    const collectedResults = shards.map(() => ({}));
    const failure: ExportFailureInput = {
      job: execution.job,
      failedState: WORKFLOW_STATES.exportShards,
      error: { Error: 'E'.repeat(256), Cause: 'c'.repeat(MAX_CAUGHT_ERROR_BYTES) },
    };
    const payloads: Record<string, unknown> = {
      'execution input': execution,
      [`${WORKFLOW_STATES.planExport} input`]: planInput,
      [`${WORKFLOW_STATES.planExport} output / ${WORKFLOW_STATES.exportShards} input and output`]: afterPlan,
      'child execution input (one Map item)': item,
      [`${WORKFLOW_STATES.exportShardPage} output`]: pageResult,
      [`${WORKFLOW_STATES.exportShards} collected results`]: collectedResults,
      [`${WORKFLOW_STATES.finalizeExport} output`]: { ...afterPlan, finalize: 'SUCCEEDED' },
      [`${WORKFLOW_STATES.failExport} input`]: failure,
    };
    for (const [payload, value] of Object.entries(payloads)) {
      expect({ payload, withinLimit: bytes(value) <= STEP_FUNCTIONS_PAYLOAD_LIMIT_BYTES }).toEqual({
        payload,
        withinLimit: true,
      });
    }
  });
});
