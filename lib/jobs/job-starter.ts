import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENVIRONMENT } from '../../lambda/contract/environment';
import { createServiceFunction } from '../api/operation-function';
import type { FunctionDefaults } from '../function-defaults';
import { acknowledgeKeyWrites, grantTable } from '../grants';
import { jobStreamSource } from './job-stream-source';

export interface JobStarterProps {
  /** The job table, with its NEW_IMAGE stream (see JobTable). */
  readonly jobTable: dynamodb.ITable;
  /** The workflow each new job is run by (see ExportWorkflow). */
  readonly stateMachine: sfn.IStateMachine;
  /** Where a stream record goes once it expired without starting its job. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Settings shared with the service's other functions (logging, environment, memory). */
  readonly functionDefaults: FunctionDefaults;
}

/**
 * Starts the workflow of each new job from the job table's stream (INSERT of a job item), so a
 * job accepted with 200 starts even if the function that wrote it died right after; the
 * execution is named after the job, so a redelivered record starts nothing twice. A start the
 * workflow refuses for good fails the job; other failures are retried until the record expires
 * (a day), then the dead-letter queue receives a description of it (shard and sequence numbers).
 */
export class JobStarter extends Construct {
  /** The function that starts the executions. */
  public readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: JobStarterProps) {
    super(scope, id);
    const starter = createServiceFunction(
      this,
      'StartExportFunction',
      'start-export',
      {
        ...props.functionDefaults,
        environment: {
          ...props.functionDefaults.environment,
          [ENVIRONMENT.stateMachineArn]: props.stateMachine.stateMachineArn,
        },
      },
      'Starts the workflow of each new job',
    );
    props.stateMachine.grantStartExecution(starter);
    // A job the workflow refuses to start is failed with an UpdateItem.
    grantTable(starter, props.jobTable, ['dynamodb:UpdateItem'], { writes: true });
    starter.addEventSource(
      jobStreamSource(props.jobTable, props.deadLetterQueue, {
        eventName: lambda.FilterRule.isEqual('INSERT'),
        dynamodb: { NewImage: { jobType: { S: lambda.FilterRule.isEqual('BATCH') } } },
      }),
    );
    // Sending to an encrypted dead-letter queue encrypts with its key.
    if (props.deadLetterQueue.encryptionMasterKey) acknowledgeKeyWrites(starter);
    this.function = starter;
  }
}
