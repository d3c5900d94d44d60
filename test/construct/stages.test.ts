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

  it('outputs the Cognito pool and client of the staging stage, and the API key ids, for the operator', () => {
    // GIVEN the staging stage, whose token issuer is the default (a new Cognito user pool)
    const template = Template.fromStack(addExportJobsStack(testApp(), 'staging'));
    // THEN the stack tells the operator where to create users and which keys to hand out
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'ExportBucketName', 'UserPoolId', 'UserPoolClientId', 'ApiKeyIds']),
    );
    expect(outputs.UserPoolId.Value).toEqual({ Ref: expect.stringMatching(/UserPool/) });
  });

  it('does not output a user pool for a stage whose tokens come from an OIDC issuer', () => {
    const outputs = Template.fromStack(addExportJobsStack(testApp(), 'local')).findOutputs('*');
    expect(Object.keys(outputs)).not.toContain('UserPoolId');
    expect(Object.keys(outputs)).toContain('ApiKeyIds');
  });

  it('refuses an unknown stage, naming the known ones', () => {
    expect(() => stageSettings('qa')).toThrow(
      "Unknown stage 'qa'; use one of local, local-ups, bench, dev, staging, prod",
    );
  });
});

describe('the README example', () => {
  it('synthesizes a stack of its own that embeds the service', () => {
    const template = Template.fromStack(new CustomerDataStack(testApp(), 'CustomerData'));
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    // Its own identity provider instead of a Cognito pool, and two usage plans
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 20, BurstLimit: 40 },
      Quota: { Limit: 10_000, Period: 'DAY' },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) })]),
      },
    });
  });
});
