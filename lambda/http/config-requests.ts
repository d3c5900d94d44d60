import type { TSchema } from '@sinclair/typebox';
import { CONFIG_ID_PATTERN } from '../contract/config-table';
import { MAX_REQUEST_BODY_BYTES } from '../contract/create-job-request';
import { ListConfigQuerySchema, MAX_CONFIG_PAGE_SIZE, type ListConfigQuery } from '../contract/merge-policy';
import type { ConfigPageQuery } from '../domain/config/ports';
import { InvalidRequestError, type FieldError } from '../domain/errors';
import { pointer } from '../domain/json-pointer';
import { compileSchema, type SchemaValidator } from '../domain/schema-validator';
import type { HttpRequest } from './http-request';

const ID = new RegExp(CONFIG_ID_PATTERN);
const listQueryValidator = compileSchema<ListConfigQuery>(ListConfigQuerySchema, { coerce: true });

/** A validator of a request body, compiled once at module load. */
export function bodyValidator<T>(schema: TSchema): SchemaValidator<T> {
  return compileSchema<T>(schema);
}

/** The `{id}` of a merge policy or segment definition route. */
export function configIdFrom(request: HttpRequest): string {
  const id = request.pathParameters.id ?? '';
  if (!ID.test(id)) {
    throw new InvalidRequestError('The id is invalid.', [
      { path: '/id', code: 'pattern', message: `must match ${CONFIG_ID_PATTERN}` },
    ]);
  }
  return id;
}

/** A JSON body that the validator accepts, or a 400 listing every problem. */
export function jsonBodyFrom<T>(request: HttpRequest, validator: SchemaValidator<T>): T {
  const body = request.body;
  if (body === undefined || body.trim() === '') {
    throw new InvalidRequestError('The request body is required.', [
      { path: '', code: 'required', message: 'a JSON object is required' },
    ]);
  }
  if (Buffer.byteLength(body, 'utf8') > MAX_REQUEST_BODY_BYTES) {
    throw new InvalidRequestError('The request body is too large.', [
      { path: '', code: 'too_large', message: `at most ${MAX_REQUEST_BODY_BYTES} bytes are accepted` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidRequestError('The request body is not valid JSON.', [
      { path: '', code: 'malformed_json', message: (error as Error).message },
    ]);
  }
  const checked = validator.validate(json);
  if (!checked.ok) throw new InvalidRequestError('The request body is invalid.', checked.errors);
  return checked.value;
}

/** `limit` and `start` of a config list; each at most once, nothing else. */
export function configPageQueryFrom(request: HttpRequest): ConfigPageQuery {
  const errors: FieldError[] = [];
  const single: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.query)) {
    if (values.length > 1)
      errors.push({ path: pointer('', name), code: 'repeated', message: 'must appear at most once' });
    single[name] = values[values.length - 1];
  }
  const checked = listQueryValidator.validate(single);
  if (!checked.ok) errors.push(...checked.errors);
  if (errors.length > 0 || !checked.ok) throw new InvalidRequestError('The query parameters are invalid.', errors);
  return {
    limit: checked.value.limit ?? MAX_CONFIG_PAGE_SIZE,
    ...(checked.value.start !== undefined && { after: checked.value.start }),
  };
}

/** The link to the page after one that ended at `next` ("" on the last page). */
export function nextPageLink(request: HttpRequest, query: ConfigPageQuery, next: string | undefined): string {
  if (next === undefined) return '';
  const search = new URLSearchParams({ limit: String(query.limit), start: next });
  return `${request.clientPath}?${search.toString()}`;
}
