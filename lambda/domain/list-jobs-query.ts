import type { JobStatus } from '../contract/job-record';
import { DEFAULT_PAGE_SIZE, ListJobsQuerySchema, type ListJobsQuery } from '../contract/list-jobs-query';
import { decodeCursor, type Cursor } from './cursor';
import { InvalidRequestError, type FieldError } from './errors';
import { describeUnknownParameter, singleValuedQuery } from './query-parameters';
import { compileSchema } from './schema-validator';

export interface ListJobsParameters {
  readonly limit: number;
  readonly status?: JobStatus;
  readonly after?: Cursor;
  /** The query parameters the client gave (but offset), in the order link.next repeats them. */
  readonly carried: Array<[string, string]>;
}

const queryValidator = compileSchema<ListJobsQuery>(ListJobsQuerySchema, { coerce: true });

/**
 * Parses the query of GET /export/jobs. Each parameter may appear once; unknown parameters are
 * refused rather than ignored, so a misspelt `stauts` cannot silently list everything.
 */
export function parseListJobsQuery(query: Readonly<Record<string, readonly string[]>>): ListJobsParameters {
  const { single, errors } = singleValuedQuery(query);
  const raw = { ...single };
  const checked = queryValidator.validate(single);
  if (!checked.ok) errors.push(...checked.errors.map(describeQueryError));
  const after = checked.ok && checked.value.offset !== undefined ? decodeCursor(checked.value.offset) : undefined;
  if (checked.ok && checked.value.offset !== undefined && !after) errors.push(CURSOR_ERROR);
  if (errors.length > 0) throw new InvalidRequestError('The query parameters are invalid.', errors);

  const value = (checked as { value: ListJobsQuery }).value;
  const carried: Array<[string, string]> = [];
  if (raw.limit !== undefined) carried.push(['limit', String(value.limit)]);
  if (raw.status !== undefined) carried.push(['status', String(value.status)]);
  return {
    limit: value.limit ?? DEFAULT_PAGE_SIZE,
    ...(value.status && { status: value.status }),
    ...(after && { after }),
    carried,
  };
}

const CURSOR_ERROR: FieldError = {
  path: '/offset',
  code: 'cursor',
  message: 'must be a cursor <creationTimeMs>_<id> from page.pageOffset or link.next',
};

function describeQueryError(error: FieldError): FieldError {
  if (error.path === '/offset' && error.code === 'pattern') return CURSOR_ERROR;
  return describeUnknownParameter(error);
}
