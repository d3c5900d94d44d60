import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENVIRONMENT } from '../../lambda/contract/environment';
import { JOB_EVENTS } from '../../lambda/contract/job-events';
import { TERMINAL_STATUSES } from '../../lambda/contract/job-lifecycle';
import { ExportJobsService } from '../../lib/export-jobs-service';
import { synthService, testApp } from './support/synth';

describe('job events', () => {
  it('GIVEN the default props WHEN synthesized THEN a publisher reads the job stream for jobs that reached a terminal status only', () => {
    const { template } = synthService();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ExportJobsJobEventsPublishJobEventsFunction') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportJobsJobTable'), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // A record EventBridge keeps refusing does not hold the later events back for a day.
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['MODIFY'],
              dynamodb: { NewImage: { jobType: { S: ['BATCH'] }, status: { S: [...TERMINAL_STATUSES] } } },
            }),
          },
        ],
      },
    });
  });

  it('GIVEN no bus WHEN synthesized THEN events go to the default bus, and the publisher may put events there only', () => {
    const { template } = synthService();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Puts an event on EventBridge when a job ends',
      // The ARN of the default bus, so that a bus of another account would be found too.
      Environment: {
        Variables: Match.objectLike({
          [ENVIRONMENT.eventBusName]: {
            'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':event-bus/default$')])],
          },
        }),
      },
    });
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
      id.startsWith('ExportJobsJobEventsPublishJobEventsFunctionRole'),
    );
    const statements = policies.flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
    const putEvents = statements.filter((statement) => [statement.Action].flat().includes('events:PutEvents'));
    expect(putEvents).toHaveLength(1);
    expect(JSON.stringify(putEvents[0].Resource)).toContain(':event-bus/default');
  });

  it('GIVEN a bus of its own and a subscriber WHEN onJobEnded is called THEN the rule on that bus matches the job events', () => {
    const stack = new Stack(testApp(), 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
    const bus = new events.EventBus(stack, 'Bus');
    const service = new ExportJobsService(stack, 'ExportJobs', { jobEventBus: bus });
    service.onJobEnded('Succeeded', {
      eventPattern: { detail: { status: ['SUCCEEDED'] } },
      target: new targets.SqsQueue(new sqs.Queue(stack, 'Finished')),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: {
        source: [JOB_EVENTS.source],
        'detail-type': [JOB_EVENTS.jobEnded],
        detail: { status: ['SUCCEEDED'] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Finished'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENVIRONMENT.eventBusName]: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] },
        }),
      },
    });
  });
});

describe('execution watcher', () => {
  it('GIVEN the watcher function fails on an event WHEN Lambda has retried it THEN the event goes to the dead-letter queue', () => {
    const { template } = synthService();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ExportJobsExecutionWatcherExecutionEndedFunction') },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportJobsDeadLetterQueue'), 'Arn'] } },
      },
    });
  });
});
