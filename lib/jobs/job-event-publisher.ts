import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BATCH_OBJECT_PATTERNS } from '../../lambda/contract/batch-layout';
import { ENVIRONMENT } from '../../lambda/contract/environment';
import { JOB_EVENTS } from '../../lambda/contract/job-events';
import { TERMINAL_STATUSES } from '../../lambda/contract/job-lifecycle';
import { SYMLINK_OBJECT_PATTERN } from '../../lambda/contract/query-catalog';
import { createServiceFunction } from '../api/operation-function';
import type { FunctionDefaults } from '../function-defaults';
import { acknowledgeBatchFilePatterns, acknowledgeKeyWrites, grantObjectDeletes } from '../grants';
import { jobStreamSource } from './job-stream-source';

/** Attempts at publishing a record before it is given up to the dead-letter queue. */
const PUBLISH_RETRY_ATTEMPTS = 10;

export interface JobEventPublisherProps {
  /** The job table, with its NEW_IMAGE stream (see JobTable). */
  readonly jobTable: dynamodb.ITable;
  /**
   * The bus the events go to.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * The bucket the jobs export to: the part files (and any manifest) of a job that ended FAILED
   * or CANCELLED are deleted from it before the job's event is published.
   */
  readonly exportBucket: s3.IBucket;
  /** Where a stream record goes once it expired without being published. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Settings shared with the service's other functions. */
  readonly functionDefaults: FunctionDefaults;
}

/**
 * Puts an "Export Job Ended" event (source `export-jobs`) on EventBridge for each job that
 * ends SUCCEEDED, FAILED or CANCELLED, whichever path ended it: it reads the job table's
 * stream for a job item's change to a terminal status. A job that ended FAILED or CANCELLED
 * first has its partial output deleted from the export bucket (its batches are never
 * complete; its counters stay on the job, saying how far it got), so a subscriber that
 * reacts to the event finds the batches as they stay. Nothing changes a job once it has
 * ended, so each job gives one event, delivered at least once (deduplicate by tenant and id).
 * The stream is read from its oldest record: on first deployment, the jobs that ended in the
 * last 24 hours are announced too. A record still refused after 10 attempts is described in
 * the dead-letter queue.
 */
export class JobEventPublisher extends Construct {
  /** The bus the events go to. */
  public readonly eventBus: events.IEventBus;
  /** The function that publishes them. */
  public readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: JobEventPublisherProps) {
    super(scope, id);
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const publisher = createServiceFunction(
      this,
      'PublishJobEventsFunction',
      'publish-job-events',
      {
        ...props.functionDefaults,
        // The ARN, so that a bus of another account is found too.
        environment: {
          ...props.functionDefaults.environment,
          [ENVIRONMENT.eventBusName]: this.eventBus.eventBusArn,
          [ENVIRONMENT.exportBucketName]: props.exportBucket.bucketName,
        },
      },
      'Puts an event on EventBridge when a job ends',
    );
    this.eventBus.grantPutEventsTo(publisher);
    // The batch files, and the symlink file of a batch the finalizer registered as a partition
    // before the job failed (DatasetQuery): both are deleted when a job ends FAILED or CANCELLED.
    const batchFiles = [BATCH_OBJECT_PATTERNS.partFiles, BATCH_OBJECT_PATTERNS.manifests, SYMLINK_OBJECT_PATTERN];
    grantObjectDeletes(publisher, props.exportBucket, batchFiles, { list: true });
    acknowledgeBatchFilePatterns(publisher, props.exportBucket, batchFiles);
    // Records are in order per shard: a record EventBridge keeps refusing must not hold back the
    // events behind it for a day. After 10 attempts its description goes to the queue.
    publisher.addEventSource(
      jobStreamSource(
        props.jobTable,
        props.deadLetterQueue,
        {
          eventName: lambda.FilterRule.isEqual('MODIFY'),
          dynamodb: {
            NewImage: {
              jobType: { S: lambda.FilterRule.isEqual('BATCH') },
              status: { S: lambda.FilterRule.or(...TERMINAL_STATUSES) },
            },
          },
        },
        PUBLISH_RETRY_ATTEMPTS,
      ),
    );
    if (props.deadLetterQueue.encryptionMasterKey) acknowledgeKeyWrites(publisher);
    this.function = publisher;
  }

  /**
   * A rule on the bus that matches the "Export Job Ended" events (narrowed further by
   * `options.eventPattern`, e.g. `{ detail: { status: ['SUCCEEDED'] } }`), with `options.target`.
   */
  public onJobEnded(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, {
      eventBus: this.eventBus,
      description: options.description ?? 'Export jobs that ended',
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
      eventPattern: { ...options.eventPattern, source: [JOB_EVENTS.source], detailType: [JOB_EVENTS.jobEnded] },
    });
    if (options.target) rule.addTarget(options.target);
    return rule;
  }
}
