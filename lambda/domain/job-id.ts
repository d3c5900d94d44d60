import { JOB_ID_PATTERN } from '../contract/path-parameters';
import { InvalidRequestError } from './errors';

const JOB_ID = new RegExp(JOB_ID_PATTERN);

/** The `{id}` path parameter: a positive integer. */
export function parseJobId(text: string | undefined): number {
  const id = Number(text);
  if (text === undefined || !JOB_ID.test(text) || !Number.isSafeInteger(id)) {
    throw new InvalidRequestError('The job id is invalid.', [
      { path: '/id', code: 'job_id', message: 'must be a positive integer' },
    ]);
  }
  return id;
}
