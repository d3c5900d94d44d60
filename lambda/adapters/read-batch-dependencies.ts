import type { ReadBatchDependencies } from '../domain/read-batch/read-batch';
import { exportBucketName } from './export-workflow-dependencies';
import { jobStore } from './job-store';
import { S3BatchFileStore } from './s3-batch-file-store';
import { s3Client } from './s3-client';

/** What the batch-reading operations use, created once per execution environment. */
export function readBatchDependencies(): ReadBatchDependencies {
  return { batches: jobStore, files: new S3BatchFileStore(s3Client, exportBucketName()) };
}
