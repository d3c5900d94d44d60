import type { JobStatus } from '../contract/job-lifecycle';

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
