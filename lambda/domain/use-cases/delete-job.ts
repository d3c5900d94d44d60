import type { JobRecord } from '../../contract/job-record';
import { JobNotFoundError } from '../errors';
import { deleteActionFor, type DeleteAction } from '../lifecycle';
import type { Clock, JobRepository } from '../ports';
import type { Tenant } from '../tenant';

export interface DeleteJobDependencies {
  readonly repository: JobRepository;
  readonly clock: Clock;
}

/**
 * DELETE /export/jobs/{id}. The action follows from the status read, and the write is
 * conditional on that status: if the job moved meanwhile (its workflow finished it, say), the
 * write changes nothing and the decision is taken again on the new status. The lifecycle only
 * moves forward, so this ends after a few rounds.
 */
export async function deleteJob(
  { repository, clock }: DeleteJobDependencies,
  tenant: Tenant,
  id: number,
): Promise<{ action: DeleteAction; job: JobRecord }> {
  for (;;) {
    const job = await repository.get(tenant, id);
    if (!job) throw new JobNotFoundError(id);
    const action = deleteActionFor(job.status);
    const now = clock.now();
    const applied =
      action === 'cancel'
        ? await repository.changeStatus(tenant, id, 'NEW', 'CANCELLED', now)
        : action === 'request-cancel'
          ? await repository.requestCancel(tenant, id, now)
          : await repository.remove(tenant, id, job.status);
    if (applied) return { action, job };
  }
}
