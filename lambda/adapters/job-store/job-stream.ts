import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { isTerminal, type JobStatus } from '../../contract/job-lifecycle';
import type { JobRecord } from '../../contract/job-record';
import type { ExportableJob } from '../../contract/workflow';
import { fromJobItem, fromJobItemForExport } from './job-item';

/**
 * The job a record of the job table's stream inserted, when it is a new job (the stream also
 * carries counters, part records and every later change, which start nothing).
 */
export function insertedNewJob(record: DynamoDBRecord): ExportableJob | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.jobType !== 'BATCH' || item.status !== 'NEW') return undefined;
  return fromJobItemForExport(item);
}

/**
 * The job a record of the job table's stream moved to a terminal status. Once a job has ended
 * nothing updates it again (every write is conditional on a running status), so each job
 * yields one such record.
 */
export function endedJob(record: DynamoDBRecord): JobRecord | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'MODIFY' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.jobType !== 'BATCH' || !isTerminal(item.status as JobStatus)) return undefined;
  return fromJobItem(item);
}
