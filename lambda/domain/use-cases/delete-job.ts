import type { JobRecord } from '../../contract/job-record';
import { timing } from '../export/manifest';
import { JobFinishingError, JobNotFoundError } from '../errors';
import { deleteActionFor, type DeleteAction } from '../lifecycle';
import type { Clock, ExportWorkflow, JobRepository } from '../ports';
import type { Tenant } from '../../contract/tenant';

export interface DeleteJobDependencies {
  readonly repository: JobRepository;
  readonly clock: Clock;
  readonly workflow: Pick<ExportWorkflow, 'stop'>;
}

/**
 * DELETE /export/jobs/{id}. The action follows from the status read, and every write is
 * conditional on that status: if the job moved meanwhile (its workflow finished it, say), the
 * write changes nothing and the decision is taken again on the new status. The lifecycle only
 * moves forward, so this ends after a few rounds.
 *
 * A PROCESSING job is first marked for cancelling — durable, and from then on its workflow can
 * no longer complete it — then its execution is stopped and the job ends CANCELLED. If the
 * stop fails, the mark stays: the workflow ends the job CANCELLED when it reaches its end.
 */
export async function deleteJob(
  { repository, clock, workflow }: DeleteJobDependencies,
  tenant: Tenant,
  id: number,
): Promise<{ action: DeleteAction; job: JobRecord }> {
  for (;;) {
    const job = await repository.get(tenant, id);
    if (!job) throw new JobNotFoundError(id);
    const action = deleteActionFor(job.status);
    const now = clock.now();
    if (action === 'cancel') {
      if (await repository.cancel(tenant, id, 'NEW', now, timing(job.creationTime, now))) return { action, job };
    } else if (action === 'request-cancel') {
      if (await repository.requestCancel(tenant, id, now)) {
        await workflow.stop(job.computeGatewayJobId.exportJob, 'Cancelled by DELETE /export/jobs/{id}');
        const stoppedAt = clock.now();
        await repository.cancel(tenant, id, 'PROCESSING', stoppedAt, timing(job.creationTime, stoppedAt));
        return { action, job };
      }
      // Still PROCESSING but not markable: its workflow is writing the manifests.
      const latest = await repository.get(tenant, id);
      if (latest?.status === 'PROCESSING') throw new JobFinishingError(id);
    } else if (await repository.remove(tenant, id, job.status)) {
      return { action, job };
    }
  }
}
