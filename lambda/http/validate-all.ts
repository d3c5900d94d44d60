import { InvalidRequestError, type FieldError } from '../domain/errors';

type Results<T extends ReadonlyArray<() => unknown>> = { [K in keyof T]: T[K] extends () => infer R ? R : never };

/**
 * Runs each parser and, if any of them finds the request invalid, throws one
 * InvalidRequestError listing the problems of all of them: the client learns everything that
 * is wrong in one round trip.
 */
export function validateAll<T extends ReadonlyArray<() => unknown>>(...parsers: T): Results<T> {
  const errors: FieldError[] = [];
  const details: string[] = [];
  const results = parsers.map((parse) => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      errors.push(...error.errors);
      details.push(error.message);
      return undefined;
    }
  });
  if (errors.length > 0) throw new InvalidRequestError(details.join(' '), errors);
  return results as Results<T>;
}
