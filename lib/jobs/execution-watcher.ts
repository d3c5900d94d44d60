import { Annotations, Duration, Names, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createServiceFunction } from '../api/operation-function';
import type { FunctionDefaults } from '../function-defaults';
import { acknowledgeKeyWrites, grantTable } from '../grants';

export interface ExecutionWatcherProps {
  /** The job table whose jobs the workflow runs. */
  readonly jobTable: dynamodb.ITable;
  /** The workflow whose abnormal ends are watched. */
  readonly stateMachine: sfn.IStateMachine;
  /** Where an event goes that could not be handled after its retries. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Settings shared with the service's other functions. */
  readonly functionDefaults: FunctionDefaults;
}

/**
 * The backstop that makes every accepted job end: an EventBridge rule on the workflow's
 * executions that FAILED, TIMED_OUT or were ABORTED outside its own Catch (a timeout of the
 * whole execution, an operator's StopExecution) ends a job still NEW or PROCESSING — FAILED,
 * or CANCELLED when stopped.
 */
export class ExecutionWatcher extends Construct {
  /** The function that ends the jobs. */
  public readonly function: lambda.IFunction;
  /** The rule on the default bus that invokes it. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ExecutionWatcherProps) {
    super(scope, id);
    const watcher = createServiceFunction(
      this,
      'ExecutionEndedFunction',
      'execution-ended',
      props.functionDefaults,
      'Ends the job of an execution that ended abnormally',
    );
    grantTable(watcher, props.jobTable, ['dynamodb:UpdateItem'], { writes: true });
    // The rule's dead-letter queue only catches events EventBridge could not deliver. An event
    // delivered to a function that then keeps failing is Lambda's to retry (asynchronous
    // invocation): after its retries, the event goes to the same queue instead of being dropped.
    watcher.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(props.deadLetterQueue),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    if (props.deadLetterQueue.encryptionMasterKey) acknowledgeKeyWrites(watcher);
    // Named from the construct path (no hard-coded name), so that the key policy of an
    // encrypted dead-letter queue can name the rule's ARN without a reference to the rule,
    // which references the queue, which references the key: a cycle.
    const ruleName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName,
      description: 'Export workflow executions that failed, timed out or were aborted',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [props.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new targets.LambdaFunction(watcher, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    allowRuleToUseQueueKey(
      this.rule,
      Stack.of(this).formatArn({ service: 'events', resource: 'rule', resourceName: ruleName }),
      props.deadLetterQueue,
    );
    this.function = watcher;
  }
}

/**
 * EventBridge sends an undeliverable event to the rule's dead-letter queue as itself
 * (events.amazonaws.com), not as a role: with a customer-managed key on the queue, only the
 * key policy can let it encrypt, for this rule only. A key imported from elsewhere has a policy
 * this stack cannot change: the deployer is told which statement it needs.
 */
function allowRuleToUseQueueKey(rule: events.Rule, ruleArn: string, queue: sqs.IQueue): void {
  const key = queue.encryptionMasterKey;
  if (!key) return;
  const { statementAdded } = key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'EventBridgeRuleToDeadLetterQueue',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    }),
  );
  if (!statementAdded) {
    Annotations.of(rule).addWarningV2(
      'export-jobs:dead-letter-queue-key-policy',
      "The dead-letter queue's KMS key is not managed by this stack: add a key-policy statement allowing events.amazonaws.com kms:GenerateDataKey and kms:Decrypt with aws:SourceArn = this rule's ARN, or EventBridge cannot dead-letter its events.",
    );
  }
}
