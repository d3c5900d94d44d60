import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '../observability/powertools';

/** The S3 client of this execution environment (region, credentials, endpoint from the environment). */
export const s3Client = tracer.captureAWSv3Client(new S3Client({}));
