import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
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
  }
}
