import type { ExportableJob, ExportExecutionInput } from '../../contract/workflow';
import { WorkflowStartRefused } from '../errors';
import { jobRefOf, type Clock, type ExportWorkflow } from '../ports';
import { timing } from './manifest';
import type { ExportJobStore } from './workflow-ports';

export interface StartExportDependencies {
  readonly workflow: Pick<ExportWorkflow, 'start'>;
  readonly store: Pick<ExportJobStore, 'fail'>;
  readonly clock: Clock;
}

export type StartOutcome = 'started' | 'already-started' | 'failed';

/** The input of a job's execution: the part of the job the workflow needs, built from the job alone. */
export function executionInputOf(job: ExportableJob): ExportExecutionInput {
  return {
    job: {
      id: job.id,
      imsOrgId: job.imsOrgId,
      sandboxName: job.sandboxName,
      destination: job.destination,
      filter: job.filter,
      ...(job.fields !== undefined && { fields: job.fields }),
      ...(job.additionalFields && { additionalFields: job.additionalFields }),
      schema: job.schema,
      ...(job.attributeMerge && { attributeMerge: job.attributeMerge }),
      ...(job.evaluationInfo?.segmentation && { evaluationInfo: job.evaluationInfo }),
      creationTime: job.creationTime,
    },
  };
}

/**
 * Starts the workflow of a NEW job. Its execution is named after the job, so a second start
 * starts nothing; a start the workflow refuses for good (an invalid input, say) fails the job,
 * saying why. Any other error is left to the caller to retry.
 */
export async function startExport(dependencies: StartExportDependencies, job: ExportableJob): Promise<StartOutcome> {
  try {
    return await dependencies.workflow.start(job, executionInputOf(job));
  } catch (error) {
    if (!(error instanceof WorkflowStartRefused)) throw error;
    const now = dependencies.clock.now();
    await dependencies.store.fail(
      jobRefOf(job),
      [{ code: error.code, msg: error.message, callStack: 'StartExport' }],
      timing(job.creationTime, now),
      now,
    );
    return 'failed';
  }
}
