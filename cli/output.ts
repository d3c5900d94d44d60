import type { Job } from './client';
import { ApiProblem } from './client';
import { UsageError } from './settings';

/** Where the CLI writes: results on stdout, progress and problems on stderr. */
export interface Output {
  readonly json: boolean;
  result(value: unknown, human: () => string): void;
}

export function output(json: boolean): Output {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
  };
}

/** The batch ids of a job: one, or one per segment. */
export function batchIdsOf(job: Job): string[] {
  const { batchId, batches } = job.destination;
  return batchId ? [batchId] : (batches ?? []).map((batch) => batch.batchId);
}

/** One line per job, for `list`. */
export function jobLine(job: Job): string {
  const exported = job.metrics.totalExportedProfileCounter;
  return [
    String(job.id).padStart(6),
    job.status.padEnd(10),
    new Date(job.creationTime).toISOString(),
    `dataset ${job.destination.datasetId}`,
    exported === undefined ? '' : `${exported} profiles`,
  ]
    .join('  ')
    .trimEnd();
}

/** A job as a person reads it: status, destination, figures and errors. */
export function jobSummary(job: Job): string {
  const lines = [
    `Job ${job.id}: ${job.status}`,
    `  dataset ${job.destination.datasetId}, batches ${batchIdsOf(job).join(', ')}`,
  ];
  lines.push(...figures(job).map((line) => `  ${line}`));
  for (const error of job.errors) lines.push(`  error ${error.code}: ${error.msg}`);
  return lines.join('\n');
}

/** The job's figures: profiles exported (in all and per namespace) and time taken. */
export function figures(job: Job): string[] {
  const lines: string[] = [];
  const { totalExportedProfileCounter, exportedProfileByNamespaceCounter, totalTime } = job.metrics;
  if (totalExportedProfileCounter !== undefined) {
    const namespaces = Object.entries(exportedProfileByNamespaceCounter ?? {})
      .map(([namespace, count]) => `${namespace} ${count}`)
      .join(', ');
    lines.push(`${totalExportedProfileCounter} profiles exported${namespaces ? ` (${namespaces})` : ''}`);
  }
  if (totalTime?.totalTimeInMs !== undefined) lines.push(`took ${(totalTime.totalTimeInMs / 1000).toFixed(1)} s`);
  return lines;
}

/**
 * Reports an error as the user needs it (a problem's title, detail and every listed problem)
 * and returns the exit status: 2 for a usage mistake, 1 otherwise.
 */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof ApiProblem) {
    const { problem, status } = error;
    const lines = [`Error ${status}: ${problem.title ?? 'request failed'}`];
    if (problem.detail) lines.push(`  ${problem.detail}`);
    for (const entry of problem.errors ?? [])
      lines.push(`  - ${entry.path || '(request)'}: ${entry.message} [${entry.code}]`);
    if (problem.requestId) lines.push(`  request id ${problem.requestId}`);
    process.stderr.write(`${lines.join('\n')}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ status, problem }, null, 2)}\n`);
    return 1;
  }
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  return error instanceof UsageError ? 2 : 1;
}
