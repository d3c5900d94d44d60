import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Helpers that keep every schema within JSON Schema draft 4, the dialect API Gateway models
 * accept. TypeBox's `Literal` emits `const` (draft 6), so enums are written with `enum`.
 */
export function stringEnum<T extends string>(values: readonly T[], options: Record<string, unknown> = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** The `$schema` of request bodies: the dialect of API Gateway models. */
export const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/** An RFC 3339 timestamp with a time zone (`format: date-time` is enforced by the handler). */
export function rfc3339(description: string) {
  return Type.String({ format: 'date-time', maxLength: 64, description });
}

/** A closed object: unknown fields are invalid input, never silently ignored. */
export function closedObject<T extends Parameters<typeof Type.Object>[0]>(
  properties: T,
  options: Record<string, unknown> = {},
) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** Strips TypeBox's symbol metadata so the schema can be serialised into a template or document. */
export function toPlainJsonSchema(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema));
}
