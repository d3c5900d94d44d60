import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { fromJobItem } from '../adapters/dynamodb-job-repository';
import { exportJobStore } from '../adapters/export-workflow-dependencies';
import { ENVIRONMENT, requiredEnv } from '../adapters/job-table-layout';
import { sfnClient } from '../adapters/sfn-client';
import type { ExportExecutionInput } from '../contract/workflow';
import { executionName } from '../domain/export/execution-name';
import { timing } from '../domain/export/manifest';
import { logger } from '../http/observability';

const stateMachineArn = requiredEnv(ENVIRONMENT.stateMachineArn);
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** Errors that no retry of StartExecution can clear: the job fails, saying why. */
const PERMANENT_START_ERRORS = new Set([
  'InvalidExecutionInput',
  'InvalidName',
  'InvalidArn',
  'StateMachineDoesNotExist',
]);

/**
 * Starts the workflow of each new job, from the job table's stream. Because the stream carries
 * every write, a job accepted with 200 is started even if the function that wrote it died
 * right after; the execution name comes from the job, so a redelivered record starts nothing
 * twice. A record that fails is retried alone (partial batch response).
 */
async function startJob(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.jobType !== 'BATCH' || item.status !== 'NEW') return;
  const job = fromJobItem(item);
  const input: ExportExecutionInput = {
    job: {
      id: job.id,
      imsOrgId: job.imsOrgId,
      sandboxName: job.sandboxName,
      destination: job.destination,
      filter: job.filter,
      ...(job.fields !== undefined && { fields: job.fields }),
      ...(job.additionalFields && { additionalFields: job.additionalFields }),
      schema: job.schema,
      creationTime: job.creationTime,
    },
    keys: { pk: item.pk, sk: item.sk },
  };
  const name = executionName({ orgId: job.imsOrgId, sandboxName: job.sandboxName }, job.id, job.creationTime);
  try {
    await sfnClient.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    logger.info('Export started', { jobId: job.id, execution: name });
  } catch (error) {
    const errorName = (error as Error).name;
    if (errorName === 'ExecutionAlreadyExists') return;
    if (!PERMANENT_START_ERRORS.has(errorName)) throw error;
    const now = Date.now();
    await exportJobStore.fail(
      input.keys,
      [{ code: errorName, msg: (error as Error).message, callStack: 'StartExport' }],
      timing(job.creationTime, now),
      now,
    );
    logger.error('Export could not start; the job failed', error as Error);
  }
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  logger.addContext(context);
  return processPartialResponse(event, startJob, processor, { context });
};
