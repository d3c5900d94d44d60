import { SingleBar } from 'cli-progress';
import { ok, type ApiClient, type Job } from '../client';
import { jobSummary, type Output } from '../output';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export interface WatchOptions {
  /** Milliseconds between polls. */
  readonly interval: number;
  /** Profiles the export is expected to hold: the bar's 100 %. Without it the bar follows the counter. */
  readonly expected?: number;
}

/**
 * Polls a job until it ends, showing the exported-profile counter as it grows (a progress bar on
 * stderr; a line a second when stderr is not a terminal), then prints the job's status and
 * figures. Exit status 0 when it SUCCEEDED, 1 otherwise.
 */
export async function watchJob(api: ApiClient, id: number, options: WatchOptions, out: Output): Promise<number> {
  const bar = out.json
    ? undefined
    : new SingleBar({
        format: 'Job {id} {status} |{bar}| {value} profiles exported | {duration}s',
        noTTYOutput: true,
        notTTYSchedule: 1000,
        hideCursor: true,
        stream: process.stderr,
      });
  let job: Job = await get(api, id);
  bar?.start(options.expected ?? Math.max(1, counter(job)), counter(job), { id, status: job.status });
  while (!TERMINAL.has(job.status)) {
    await new Promise((resolve) => setTimeout(resolve, options.interval));
    job = await get(api, id);
    const value = counter(job);
    if (options.expected === undefined) bar?.setTotal(Math.max(1, value));
    bar?.update(value, { status: job.status });
  }
  bar?.update(counter(job), { status: job.status });
  bar?.stop();
  out.result(job, () => jobSummary(job));
  return job.status === 'SUCCEEDED' ? 0 : 1;
}

function counter(job: Job): number {
  return job.metrics.totalExportedProfileCounter ?? 0;
}

function get(api: ApiClient, id: number): Promise<Job> {
  return ok(api.client.GET('/export/jobs/{id}', { params: { path: { id: String(id) }, header: api.tenant } }));
}
