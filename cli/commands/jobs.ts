import { ok, type ApiClient, type Job } from '../client';
import { createJobRequest, type CreateFlags } from '../job-request';
import { jobLine, jobSummary, type Output } from '../output';

export async function createJob(
  api: ApiClient,
  flags: CreateFlags & { idempotencyKey?: string },
  out: Output,
): Promise<number> {
  const job: Job = await ok(
    api.client.POST('/export/jobs', {
      params: { header: { ...api.tenant, ...(flags.idempotencyKey && { 'idempotency-key': flags.idempotencyKey }) } },
      body: createJobRequest(flags),
    }),
  );
  out.result(job, () => jobSummary(job));
  return 0;
}

export async function getJob(api: ApiClient, id: number, out: Output): Promise<number> {
  const job: Job = await ok(
    api.client.GET('/export/jobs/{id}', { params: { path: { id: String(id) }, header: api.tenant } }),
  );
  out.result(job, () => jobSummary(job));
  return 0;
}

/** Lists jobs newest first; with `all`, follows the pages' cursors to the end. */
export async function listJobs(
  api: ApiClient,
  options: { status?: string; limit?: number; all?: boolean },
  out: Output,
): Promise<number> {
  const jobs: Job[] = [];
  let offset: string | undefined;
  do {
    const page = await ok(
      api.client.GET('/export/jobs', {
        params: {
          header: api.tenant,
          query: {
            ...(options.limit !== undefined && { limit: options.limit }),
            ...(options.status && { status: options.status as Job['status'] }),
            ...(offset && { offset }),
          },
        },
      }),
    );
    jobs.push(...page.records);
    offset = page.link.next && options.all ? page.page.pageOffset : undefined;
  } while (offset);
  out.result(jobs, () => (jobs.length === 0 ? 'No jobs.' : jobs.map(jobLine).join('\n')));
  return 0;
}

/** DELETE: a running job is cancelled (or marked for cancelling), a finished one deleted. */
export async function cancelJob(api: ApiClient, id: number, out: Output): Promise<number> {
  const before: Job = await ok(
    api.client.GET('/export/jobs/{id}', { params: { path: { id: String(id) }, header: api.tenant } }),
  );
  await ok(api.client.DELETE('/export/jobs/{id}', { params: { path: { id: String(id) }, header: api.tenant } }));
  const finished = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(before.status);
  const outcome = finished ? 'deleted' : 'cancelling';
  out.result({ id, outcome, statusBefore: before.status }, () =>
    finished
      ? `Job ${id} (${before.status}) deleted from the job list; its batches stay.`
      : `Job ${id} (${before.status}) is being cancelled: it ends CANCELLED (see: export-jobs watch ${id}).`,
  );
  return 0;
}
