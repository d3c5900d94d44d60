import type { FieldError } from './errors';
import { pointer } from './json-pointer';

/**
 * The query of a list operation with one value per parameter: a parameter given more than
 * once is a problem (which value was meant is not ours to guess), reported in `errors`.
 */
export function singleValuedQuery(query: Readonly<Record<string, readonly string[]>>): {
  single: Record<string, string>;
  errors: FieldError[];
} {
  const errors: FieldError[] = [];
  const single: Record<string, string> = {};
  for (const [name, values] of Object.entries(query)) {
    if (values.length > 1) {
      errors.push({ path: pointer('', name), code: 'repeated', message: 'must appear at most once' });
    }
    single[name] = values[values.length - 1];
  }
  return { single, errors };
}

/** Unknown parameters are refused rather than ignored: a misspelt one cannot silently list everything. */
export function describeUnknownParameter(error: FieldError): FieldError {
  return error.code === 'unknown_field' ? { ...error, message: 'is not a query parameter of this operation' } : error;
}
