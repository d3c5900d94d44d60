import { fieldTreeOf, type FieldTree } from './field-tree';
import type { XdmSchema } from './xdm-schemas';

/**
 * The columns of a Parquet part file, derived from the dataset's XDM schema (JSON Schema), the
 * one place that says how a schema becomes columns: the export workers write these columns, the
 * Glue tables and the local query engine declare them, the readers of batches read them back.
 *
 * - an object with `properties` → a struct of its described fields;
 * - an object with only `additionalProperties` → a map from string keys to its values
 *   (`segmentMembership`: namespace → segment id → membership struct);
 * - an array → a list of its items (`identities`: a list of structs);
 * - string → UTF-8 string (date-times too: kept as written, offsets and all), integer → INT64,
 *   number → DOUBLE, boolean → BOOLEAN;
 * - anything the schema types loosely (no type, a union) → a `json` column: UTF-8 JSON text;
 * - `eventList`, when the job asks for events, → a list of structs of the event schema;
 * - {@link UNDESCRIBED_VALUES_COLUMN} last, always: the values the columns cannot hold.
 *
 * Every column is optional (nullable): an absent field is a null. A job's `fields` project the
 * columns as they project the records: only the selected paths become columns.
 */
export type ParquetScalarKind = 'string' | 'int64' | 'double' | 'boolean' | 'json';

export type ParquetColumn =
  | { readonly name: string; readonly kind: ParquetScalarKind }
  | { readonly name: string; readonly kind: 'struct'; readonly fields: readonly ParquetColumn[] }
  | { readonly name: string; readonly kind: 'list'; readonly element: ParquetColumn }
  | { readonly name: string; readonly kind: 'map'; readonly value: ParquetColumn };

/**
 * Values of an exported record that the columns do not describe (a field the schema does not
 * have, or a value of another type than its column's, such as a string where the schema says
 * integer) are never dropped: this string column holds them as JSON, shaped like the record
 * (`{"person":{"nickname":"Al"}}`; inside a list, an array aligned with the list's elements,
 * `null` for elements with nothing undescribed). Null when the record has nothing undescribed.
 * Reading a file back: the record is the columns' values (nulls left out) deep-merged with
 * this column's object.
 */
export const UNDESCRIBED_VALUES_COLUMN = '_extra';

/**
 * The key of the Parquet file's key-value metadata that holds its columns (this JSON), so a
 * reader knows which string columns hold JSON text without knowing the job.
 */
export const COLUMNS_METADATA_KEY = 'cdk-export-jobs.columns';

/** The list column of an exported profile's events (`additionalFields.eventList`). */
export const EVENT_LIST_COLUMN = 'eventList';

/** The name Parquet gives the element of a list and the value of a map (the standard layout). */
export const LIST_ELEMENT_NAME = 'element';
export const MAP_VALUE_NAME = 'value';

/** The columns of the Parquet part files of an export. */
export interface ExportColumnsRequest {
  /** The job's `fields`, parsed: dot paths; empty means every field. */
  readonly fields: readonly string[];
  /** The job's `additionalFields.eventList.fields`, parsed; absent when the job asks for no events. */
  readonly eventFields?: readonly string[];
}

export function exportColumns(schema: XdmSchema, request: ExportColumnsRequest): ParquetColumn[] {
  const columns = structFields(schema.profile as JsonSchema, fieldTree(request.fields));
  if (request.eventFields) {
    const event = structFields(schema.event as JsonSchema, fieldTree(request.eventFields));
    const element: ParquetColumn =
      event.length > 0 ? { name: LIST_ELEMENT_NAME, kind: 'struct', fields: event } : jsonColumn(LIST_ELEMENT_NAME);
    columns.push({ name: EVENT_LIST_COLUMN, kind: 'list', element });
  }
  columns.push({ name: UNDESCRIBED_VALUES_COLUMN, kind: 'json' });
  return columns;
}

/** The subset of JSON Schema that XDM schemas are written in. */
interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
}

/** The selected paths as a tree; `true` selects everything (no paths). */
type Selection = FieldTree | true;

function fieldTree(paths: readonly string[]): Selection {
  return paths.length === 0 ? true : fieldTreeOf(paths);
}

function jsonColumn(name: string): ParquetColumn {
  return { name, kind: 'json' };
}

/** The columns of an object's described fields that `selected` keeps (in the schema's order). */
function structFields(schema: JsonSchema, selected: Selection): ParquetColumn[] {
  const columns: ParquetColumn[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const below = selected === true ? true : selected[name];
    if (below === undefined) continue;
    const column = columnOf(name, property, below);
    if (column) columns.push(column);
  }
  return columns;
}

const SCALAR_KINDS: Readonly<Record<string, ParquetScalarKind>> = {
  string: 'string',
  integer: 'int64',
  number: 'double',
  boolean: 'boolean',
};

/**
 * The column of one value, or none when the selection leaves nothing of it (a path below a
 * scalar selects nothing, as the records' projection does).
 */
function columnOf(name: string, schema: JsonSchema, selected: Selection): ParquetColumn | undefined {
  const type = schema.type;
  if (type === 'object' && schema.properties) {
    const fields = structFields(schema, selected);
    return fields.length > 0 ? { name, kind: 'struct', fields } : undefined;
  }
  if (type === 'object' && typeof schema.additionalProperties === 'object') {
    // A path into a map selects map keys, which are data, not columns: the map stays whole
    // as a column, the records' projection keeps only the selected keys.
    const value = columnOf(MAP_VALUE_NAME, schema.additionalProperties, true);
    return value && { name, kind: 'map', value };
  }
  if (type === 'array' && schema.items) {
    const element = columnOf(LIST_ELEMENT_NAME, schema.items, selected);
    return element && { name, kind: 'list', element };
  }
  if (typeof type === 'string' && type in SCALAR_KINDS) {
    return selected === true ? { name, kind: SCALAR_KINDS[type] } : undefined;
  }
  return jsonColumn(name);
}
