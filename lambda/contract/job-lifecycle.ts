/**
 * The job lifecycle, the one place where the statuses and their transitions are written:
 * NEW → PROCESSING → SUCCEEDED | FAILED, and NEW | PROCESSING → CANCELLED. NEW → FAILED covers
 * a job whose workflow could not start. Every change of status is a conditional write on the
 * statuses this table allows it from (`statusesBefore`).
 */
const NEXT = {
  NEW: ['PROCESSING', 'CANCELLED', 'FAILED'],
  PROCESSING: ['SUCCEEDED', 'FAILED', 'CANCELLED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
} as const satisfies Record<string, readonly string[]>;

export type JobStatus = keyof typeof NEXT;

/** Every status, in the order a job moves through them. */
export const JOB_STATUSES: readonly JobStatus[] = Object.keys(NEXT) as JobStatus[];

export function isTerminal(status: JobStatus): boolean {
  return NEXT[status].length === 0;
}

export const TERMINAL_STATUSES: readonly JobStatus[] = JOB_STATUSES.filter(isTerminal);

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return (NEXT[from] as readonly JobStatus[]).includes(to);
}

/** The statuses a job may be in for it to move to `to`. */
export function statusesBefore(to: JobStatus): JobStatus[] {
  return JOB_STATUSES.filter((from) => canTransition(from, to));
}
