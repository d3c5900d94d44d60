import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { jobStore, systemClock } from '../adapters/job-store';
import { insertedNewJob } from '../adapters/job-store/job-stream';
import { StepFunctionsExportWorkflow } from '../adapters/step-functions-workflow';
import { startExport } from '../domain/export/start-export';
import { logger, withPowertools } from '../observability/powertools';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
const dependencies = { workflow: new StepFunctionsExportWorkflow(), store: jobStore, clock: systemClock };

/**
 * Starts the workflow of each new job, from the job table's stream. Because the stream carries
 * every write, a job accepted with 200 is started even if the function that wrote it died
 * right after. A record that fails is retried alone (partial batch response).
 */
async function startJob(record: DynamoDBRecord): Promise<void> {
  const job = insertedNewJob(record);
  if (!job) return;
  const outcome = await startExport(dependencies, job);
  logger.info('Export start', { jobId: job.id, imsOrgId: job.imsOrgId, sandboxName: job.sandboxName, outcome });
}

export const handler = withPowertools((event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, startJob, processor, { context }),
);
