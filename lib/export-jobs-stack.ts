import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ExportJobsService, type ExportJobsServiceProps } from './export-jobs-service';

export interface ExportJobsStackProps extends StackProps {
  /** Settings of the service. @default - the ExportJobsService defaults */
  readonly service?: ExportJobsServiceProps;
}

/** A stack holding one ExportJobsService, with its endpoints as outputs. */
export class ExportJobsStack extends Stack {
  public readonly service: ExportJobsService;

  constructor(scope: Construct, id: string, props: ExportJobsStackProps = {}) {
    super(scope, id, props);
    this.service = new ExportJobsService(this, 'ExportJobs', props.service);
    new CfnOutput(this, 'ApiUrl', { value: this.service.api.url, description: 'Root URL of the API stage' });
    new CfnOutput(this, 'ExportBucketName', { value: this.service.exportBucket.bucketName });
    // What an operator needs to let callers in (see the README's "Authentication" section).
    if (this.service.userPool) {
      new CfnOutput(this, 'UserPoolId', { value: this.service.userPool.userPoolId });
    }
    if (this.service.userPoolClient) {
      new CfnOutput(this, 'UserPoolClientId', { value: this.service.userPoolClient.userPoolClientId });
    }
    new CfnOutput(this, 'ApiKeyIds', {
      value: Fn.join(
        ',',
        this.service.apiKeys.map((key) => key.keyId),
      ),
      description: 'aws apigateway get-api-key --include-value --api-key <id> prints a key',
    });
  }
}
