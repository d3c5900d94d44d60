import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { EventBridgeJobEvents } from '../adapters/eventbridge-job-events';
import { requiredEnv } from '../adapters/required-env';
import { endedJob } from '../adapters/job-store/job-stream';
import { S3BatchFolders } from '../adapters/s3-batch-folders';
import { s3Client } from '../adapters/s3-client';
import { ENVIRONMENT } from '../contract/environment';
import { discardPartialOutput } from '../domain/export/discard-partial-output';
import { jobEndedDetail } from '../domain/export/job-ended-event';
import { logger, withPowertools } from '../observability/powertools';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
const bus = new EventBridgeJobEvents();
const batchFolders = new S3BatchFolders(s3Client, requiredEnv(ENVIRONMENT.exportBucketName));

/**
 * Puts an "Export Job Ended" event on the bus for each job the job table's stream shows
 * ending, whichever path ended it (the workflow, DELETE, or the execution watcher). A job that
 * ended FAILED or CANCELLED first has its partial output deleted, so a subscriber that reacts to
 * the event finds the job's batches as they stay. A record that fails is retried alone (partial
 * batch response).
 */
async function publish(record: DynamoDBRecord): Promise<void> {
  try {
    const job = endedJob(record);
    const detail = job && jobEndedDetail(job);
    if (!detail) return;
    logger.appendKeys({ jobId: detail.id, imsOrgId: detail.imsOrgId, sandboxName: detail.sandboxName });
    const discarded = await discardPartialOutput(batchFolders, job);
    if (discarded.discarded) logger.info('Partial output discarded', { objects: discarded.objects });
    await bus.publishJobsEnded([detail]);
    logger.info('Job ended event published', { status: detail.status });
  } catch (error) {
    logger.error('Job ended event not published; the record will be retried', error as Error);
    throw error;
  }
}

export const handler = withPowertools((event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, publish, processor, { context }),
);
