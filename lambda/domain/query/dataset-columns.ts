import type { TSchema } from '@sinclair/typebox';
import type { XdmSchema } from '../../contract/xdm-schemas';

/**
 * A dataset's columns as one engine-neutral tree, derived from the JSON Schema of its XDM
 * schema (the one description of the fields): the Glue table renders it as Hive types, the
 * local query engine as DuckDB types, so the same SQL sees the same columns on both.
 */
export type ColumnType =
  | { readonly kind: 'string' }
  | { readonly kind: 'bigint' }
  | { readonly kind: 'double' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'struct'; readonly fields: readonly Column[] }
  | { readonly kind: 'array'; readonly items: ColumnType }
  | { readonly kind: 'map'; readonly values: ColumnType };

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

/** The column an exported profile's `eventList` is written to: a list of the schema's events. */
export const EVENT_LIST_COLUMN = 'eventList';

/**
 * The JSON Schema type of a field as a column type. Timestamps (`format: date-time`) stay
 * strings: the files hold them as RFC 3339 text, which both engines cast on demand
 * (`from_iso8601_timestamp` in Athena, `CAST(... AS TIMESTAMP)` in DuckDB).
 */
export function columnTypeOf(schema: TSchema): ColumnType {
  switch (schema.type) {
    case 'string':
      return { kind: 'string' };
    case 'integer':
      return { kind: 'bigint' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array', items: columnTypeOf(schema.items as TSchema) };
    case 'object':
      if (schema.properties) {
        return {
          kind: 'struct',
          fields: Object.entries(schema.properties as Record<string, TSchema>).map(([name, field]) => ({
            name,
            type: columnTypeOf(field),
          })),
        };
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return { kind: 'map', values: columnTypeOf(schema.additionalProperties as TSchema) };
      }
      throw new Error('An object without properties or typed additionalProperties has no column type');
    default:
      throw new Error(`JSON Schema type ${JSON.stringify(schema.type)} has no column type`);
  }
}

/** The columns of a dataset of `schema`: the profile's top-level fields, then `eventList`. */
export function datasetColumns(schema: XdmSchema): Column[] {
  const profile = columnTypeOf(schema.profile);
  if (profile.kind !== 'struct') throw new Error(`The profile schema of ${schema.id} is not an object`);
  return [...profile.fields, { name: EVENT_LIST_COLUMN, type: { kind: 'array', items: columnTypeOf(schema.event) } }];
}
