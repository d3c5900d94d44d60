import type { JobStatus } from '../contract/job-record';

/**
 * The job lifecycle: NEW → PROCESSING → SUCCEEDED | FAILED, and NEW | PROCESSING → CANCELLED.
 * NEW → FAILED covers a job whose workflow could not start. Every change of status is a
 * conditional write on the status this table allows it from.
 */
const NEXT: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  NEW: ['PROCESSING', 'CANCELLED', 'FAILED'],
  PROCESSING: ['SUCCEEDED', 'FAILED', 'CANCELLED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
};

export const TERMINAL_STATUSES: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export function isTerminal(status: JobStatus): boolean {
  return NEXT[status].length === 0;
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses a job may be in for it to move to `to`. */
export function statusesBefore(to: JobStatus): JobStatus[] {
  return (Object.keys(NEXT) as JobStatus[]).filter((from) => NEXT[from].includes(to));
}

/**
 * What DELETE does to a job in `status`: a NEW job is cancelled at once (nothing runs yet), a
 * PROCESSING one is marked for cancelling (its workflow stops it), a finished one is removed
 * from the job list (its batches stay).
 */
export type DeleteAction = 'cancel' | 'request-cancel' | 'remove';

export function deleteActionFor(status: JobStatus): DeleteAction {
  if (status === 'NEW') return 'cancel';
  if (status === 'PROCESSING') return 'request-cancel';
  return 'remove';
}
