import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ExportJobsService, type IExportJobsService } from '../../lib/export-jobs-service';
import { JobStarter } from '../../lib/jobs/job-starter';
import { JobTable } from '../../lib/job-table';
import { ExportJobsMonitoring } from '../../lib/monitoring/export-jobs-monitoring';
import { testApp } from './support/synth';

const env = { account: '123456789012', region: 'eu-west-1' };
const functionDefaults = {
  memorySize: 256,
  timeout: Duration.seconds(10),
  logRetention: logs.RetentionDays.ONE_WEEK,
  logRemovalPolicy: RemovalPolicy.DESTROY,
  environment: {},
};

describe('monitoring', () => {
  function monitored() {
    const stack = new Stack(testApp(), 'TestStack', { env });
    const service: IExportJobsService = new ExportJobsService(stack, 'ExportJobs');
    const topic = new sns.Topic(stack, 'Oncall');
    const monitoring = new ExportJobsMonitoring(stack, 'Monitoring', { service, alarmTopic: topic });
    return { monitoring, template: Template.fromStack(stack) };
  }

  it('GIVEN a service and a topic WHEN monitored THEN six alarms notify the topic on ALARM and OK, none breaching on missing data', () => {
    const { template } = monitored();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(6);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: expect.stringMatching(/^Oncall/) }],
        OKActions: [{ Ref: expect.stringMatching(/^Oncall/) }],
      });
    }
  });

  it('GIVEN the service metrics WHEN alarmed THEN they watch API 5xx, workflow failures and timeouts, dead letters and workers', () => {
    const { template } = monitored();
    const watched = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => `${alarm.Properties.Namespace}:${alarm.Properties.MetricName}`,
    );
    expect(watched.sort()).toEqual(
      [
        'AWS/ApiGateway:5XXError',
        'AWS/ApiGateway:Latency',
        'AWS/States:ExecutionsFailed',
        'AWS/States:ExecutionsTimedOut',
        'AWS/SQS:ApproximateNumberOfMessagesVisible',
        'AWS/Lambda:Errors',
      ].sort(),
    );
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('GIVEN a worker error threshold that is not a positive integer WHEN monitored THEN it is refused naming the value', () => {
    const stack = new Stack(testApp(), 'TestStack', { env });
    const service = new ExportJobsService(stack, 'ExportJobs');
    expect(() => new ExportJobsMonitoring(stack, 'Monitoring', { service, workerErrorThreshold: 0.5 })).toThrow(
      'workerErrorThreshold must be a positive integer, got 0.5',
    );
  });
});

describe('the parts of the service, used alone', () => {
  it('GIVEN only a job table, a state machine and a queue WHEN a JobStarter is added THEN it starts executions from the stream', () => {
    const stack = new Stack(testApp(), 'TestStack', { env });
    const jobTable = new JobTable(stack, 'Jobs').table;
    const stateMachine = new sfn.StateMachine(stack, 'Workflow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Nothing')),
    });
    new JobStarter(stack, 'Starter', {
      jobTable,
      stateMachine,
      deadLetterQueue: new sqs.Queue(stack, 'Dead'),
      functionDefaults,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^StarterStartExportFunction') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Jobs'), 'StreamArn'] },
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('states:StartExecution');
  });
});
