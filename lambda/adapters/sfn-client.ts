import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../observability/powertools';

/** The Step Functions client of this execution environment. */
export const sfnClient = tracer.captureAWSv3Client(new SFNClient({}));
