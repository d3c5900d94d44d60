import { Match, Template } from 'aws-cdk-lib/assertions';
import { addExportJobsStack } from '../../bin/build-app';
import { STAGES, stageSettings } from '../../bin/stages';
import { CustomerDataStack } from '../../examples/customer-data-stack';
import { testApp } from './support/synth';

describe('stages', () => {
  it.each(Object.keys(STAGES))('synthesizes the %s stage with its own API stage name and throttling', (stage) => {
    const stack = addExportJobsStack(testApp(), stage);
    const settings = stageSettings(stage);
    expect(stack.stackName).toBe(`ExportJobs-${stage}`);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: settings.apiStageName,
      MethodSettings: [
        Match.objectLike({
          ThrottlingRateLimit: settings.throttlingRateLimit ?? 100,
          ThrottlingBurstLimit: settings.throttlingBurstLimit ?? 200,
        }),
      ],
    });
  });

  it('refuses an unknown stage, naming the known ones', () => {
    expect(() => stageSettings('qa')).toThrow("Unknown stage 'qa'; use one of local, bench, dev, staging, prod");
  });
});

describe('the README example', () => {
  it('synthesizes a stack of its own that embeds the service', () => {
    const template = Template.fromStack(new CustomerDataStack(testApp(), 'CustomerData'));
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) })]),
      },
    });
  });
});
