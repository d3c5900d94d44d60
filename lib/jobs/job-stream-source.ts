import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** Refuses a job table without the stream the starter and the publisher read. */
export function requireJobTableStream(jobTable: dynamodb.ITable): void {
  if (!jobTable.tableStreamArn) {
    throw new Error('jobTable must have a NEW_IMAGE stream: import it with its tableStreamArn (see JobTable)');
  }
}

/**
 * The job table's stream as an event source: the records that match `filter`, in batches of
 * 10, a failed record retried alone (bisect, partial batch responses) `retryAttempts` times or,
 * by default, until it expires from the stream (a day). Then the dead-letter queue receives a
 * description of the failed batch (shard and sequence numbers, not the record itself: read it
 * from the stream while it lasts).
 */
export function jobStreamSource(
  jobTable: dynamodb.ITable,
  deadLetterQueue: sqs.IQueue,
  filter: Record<string, unknown>,
  retryAttempts?: number,
): sources.DynamoEventSource {
  requireJobTableStream(jobTable);
  return new sources.DynamoEventSource(jobTable, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 10,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    onFailure: new sources.SqsDlq(deadLetterQueue),
    retryAttempts,
    filters: [lambda.FilterCriteria.filter(filter)],
  });
}
