import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from './errors';
import { pointer } from './json-pointer';

export interface SchemaValidator<T> {
  /** The value typed as T when valid, otherwise every problem, one per invalid field. */
  validate(value: unknown): { ok: true; value: T } | { ok: false; errors: FieldError[] };
}

/**
 * Compiles a draft-4 JSON Schema (the dialect of API Gateway models) once, at module load.
 * `coerce` turns query-string values such as "20" into the schema's types first.
 */
export function compileSchema<T>(schema: TSchema, options: { coerce?: boolean } = {}): SchemaValidator<T> {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, coerceTypes: options.coerce ?? false });
  addFormats(ajv, ['date-time']);
  const check: ValidateFunction = ajv.compile(schema);
  return {
    validate(value) {
      if (check(value)) return { ok: true, value: value as T };
      return { ok: false, errors: toFieldErrors(check.errors ?? []) };
    },
  };
}

function toFieldErrors(errors: ErrorObject[]): FieldError[] {
  const result = new Map<string, FieldError>();
  for (const error of errors) {
    // A failed anyOf reports each branch as well; the anyOf entry alone says what is wrong.
    if (error.schemaPath.includes('/anyOf/')) continue;
    const fieldError = describe(error);
    result.set(`${fieldError.path}|${fieldError.code}`, fieldError);
  }
  return [...result.values()];
}

function describe(error: ErrorObject): FieldError {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: pointer(error.instancePath, String(params.missingProperty)),
        code: 'required',
        message: 'is required',
      };
    case 'additionalProperties':
      return {
        path: pointer(error.instancePath, String(params.additionalProperty)),
        code: 'unknown_field',
        message: 'is not a known field',
      };
    case 'anyOf':
      return describeAlternatives(error);
    case 'type':
      return { path: error.instancePath, code: 'type', message: `must be ${article(String(params.type))}` };
    case 'enum':
      return {
        path: error.instancePath,
        code: 'enum',
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'format':
      return {
        path: error.instancePath,
        code: 'format',
        message:
          params.format === 'date-time'
            ? 'must be an RFC 3339 timestamp with a time zone, e.g. 2018-01-01T00:00:00Z'
            : `must match format ${String(params.format)}`,
      };
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength': {
      const limit = Number(params.limit);
      const unit = error.keyword.endsWith('Items') ? 'item' : 'character';
      const bound = error.keyword.startsWith('min') ? 'at least' : 'at most';
      return {
        path: error.instancePath,
        code: snakeCase(error.keyword),
        message: `must have ${bound} ${limit} ${unit}${limit === 1 ? '' : 's'}`,
      };
    }
    case 'minimum':
    case 'maximum': {
      const bound = error.keyword === 'minimum' ? 'at least' : 'at most';
      return { path: error.instancePath, code: error.keyword, message: `must be ${bound} ${String(params.limit)}` };
    }
    case 'uniqueItems':
      return { path: error.instancePath, code: 'unique_items', message: 'must not contain duplicates' };
    default:
      return { path: error.instancePath, code: snakeCase(error.keyword), message: error.message ?? 'is invalid' };
  }
}

/** `anyOf: [{required:[a]}, {required:[b]}]` reads as "a is required (b is accepted too)". */
function describeAlternatives(error: ErrorObject): FieldError {
  const branches = Array.isArray(error.schema) ? (error.schema as Array<Record<string, unknown>>) : [];
  const names = branches.map((branch) =>
    Object.keys(branch).length === 1 && Array.isArray(branch.required) && branch.required.length === 1
      ? String(branch.required[0])
      : undefined,
  );
  if (names.length > 0 && names.every((name) => name !== undefined)) {
    const [first, ...others] = names as string[];
    return {
      path: pointer(error.instancePath, first),
      code: 'required',
      message: `is required${others.length ? ` (also accepted as ${others.join(', ')})` : ''}`,
    };
  }
  return { path: error.instancePath, code: 'any_of', message: error.message ?? 'matches no allowed form' };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function snakeCase(keyword: string): string {
  return keyword.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
