import {
  DEFAULT_DATASET_PAGE_SIZE,
  ListDatasetsQuerySchema,
  type ListDatasetsQuery,
} from '../contract/dataset';
import { InvalidRequestError } from './errors';
import { describeUnknownParameter, singleValuedQuery } from './query-parameters';
import { compileSchema } from './schema-validator';

export interface ListDatasetsParameters {
  readonly limit: number;
  /** Start strictly after this dataset id (the last of the previous page). */
  readonly start?: string;
}

const queryValidator = compileSchema<ListDatasetsQuery>(ListDatasetsQuerySchema, { coerce: true });

/** Parses the query of GET /dataSets: `limit` 1..100, `start` a cursor from `_page.next`. */
export function parseListDatasetsQuery(query: Readonly<Record<string, readonly string[]>>): ListDatasetsParameters {
  const { single, errors } = singleValuedQuery(query);
  const checked = queryValidator.validate(single);
  if (!checked.ok) {
    errors.push(
      ...checked.errors.map((error) =>
        error.path === '/start' && error.code === 'pattern'
          ? { path: '/start', code: 'cursor', message: 'must be the start cursor of a _page.next link' }
          : describeUnknownParameter(error),
      ),
    );
  }
  if (!checked.ok || errors.length > 0) throw new InvalidRequestError('The query parameters are invalid.', errors);
  return {
    limit: checked.value.limit ?? DEFAULT_DATASET_PAGE_SIZE,
    ...(checked.value.start !== undefined && { start: checked.value.start }),
  };
}
