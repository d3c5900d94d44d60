import { HEADERS, IDEMPOTENCY_KEY_PATTERN } from '../contract/headers';
import { InvalidRequestError } from '../domain/errors';
import type { HttpRequest } from './http-request';

/** The request's Idempotency-Key, if it sent one. */
export function idempotencyKeyFrom(request: HttpRequest): string | undefined {
  const key = request.headers[HEADERS.idempotencyKey];
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new InvalidRequestError('The Idempotency-Key header is invalid.', [
      {
        path: `/${HEADERS.idempotencyKey}`,
        code: 'pattern',
        message: 'must be 1 to 255 printable characters without spaces',
      },
    ]);
  }
  return key;
}
