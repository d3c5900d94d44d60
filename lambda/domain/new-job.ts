import type { JobDestination, JobRecord } from '../contract/job-record';
import { DEFAULT_SEGMENT_STATUS } from '../contract/create-job-request';
import type { CreateJobCommand } from './create-job-command';
import type { FileFormat } from '../contract/file-format';
import type { Tenant } from '../contract/tenant';

export interface NewJobContext {
  readonly id: number;
  readonly tenant: Tenant;
  readonly profileInstanceId: string;
  /** The file format of the job's dataset, recorded on the job for the export workers. */
  readonly format: FileFormat;
  readonly requestId: string;
  readonly now: number;
  /** A new batch ID (the service uses 32 random hex digits). */
  readonly newBatchId: () => string;
  /** Name of the workflow execution that will run the job ("" until one is known). */
  readonly executionId: string;
}

/** A job as POST /export/jobs creates it: status NEW, batches assigned, defaults filled in. */
export function newJob(command: CreateJobCommand, context: NewJobContext): JobRecord {
  return {
    id: context.id,
    jobType: 'BATCH',
    destination: destinationFor(command, context.format, context.newBatchId),
    ...(command.fields !== undefined && { fields: command.fields }),
    schema: command.schema,
    imsOrgId: context.tenant.orgId,
    sandboxName: context.tenant.sandboxName,
    status: 'NEW',
    filter: command.filter,
    ...(command.additionalFields && { additionalFields: command.additionalFields }),
    mergePolicy: command.mergePolicy,
    evaluationInfo: command.evaluationInfo,
    profileInstanceId: context.profileInstanceId,
    errors: [],
    metrics: { totalTime: { startTimeInMs: context.now } },
    computeGatewayJobId: { exportJob: context.executionId },
    creationTime: context.now,
    updateTime: context.now,
    requestId: context.requestId,
  };
}

function destinationFor(command: CreateJobCommand, format: FileFormat, newBatchId: () => string): JobDestination {
  const { datasetId, segmentPerBatch } = command.destination;
  if (!segmentPerBatch) return { datasetId, segmentPerBatch, format, batchId: newBatchId() };
  return {
    datasetId,
    segmentPerBatch,
    format,
    batches: (command.filter.segments ?? []).map((segment) => ({
      segmentId: segment.segmentId,
      ...(segment.segmentNs !== undefined && { segmentNs: segment.segmentNs }),
      status: segment.status ?? [...DEFAULT_SEGMENT_STATUS],
      batchId: newBatchId(),
    })),
  };
}
