import { UNDESCRIBED_VALUES_COLUMN, type ParquetColumn } from '../../contract/parquet-columns';

/**
 * An exported record split into what its Parquet columns hold and what they cannot (the
 * undescribed values, kept as JSON in {@link UNDESCRIBED_VALUES_COLUMN}), and put back
 * together when a file is read. The two are inverses: `joinParquetRow(splitParquetRow(r))`
 * is `r` for every JSON record `r`, which the tests check through an independent reader.
 *
 * Column values as the writer takes them: strings, bigint for int64, numbers for double,
 * booleans, JSON text for json columns, objects for structs and maps (string keys), arrays
 * for lists; null or absent for a null.
 */
export type ParquetRow = Record<string, unknown>;

/** What a value contributes to its column, and what is left over (undefined: nothing). */
interface Split {
  readonly kept?: unknown;
  readonly extra?: unknown;
}

const NOTHING: Split = {};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(kind: ParquetColumn['kind'], value: unknown): Split {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? { kept: value } : { extra: value };
    case 'int64':
      return Number.isSafeInteger(value) ? { kept: BigInt(value as number) } : { extra: value };
    case 'double':
      return typeof value === 'number' ? { kept: value } : { extra: value };
    case 'boolean':
      return typeof value === 'boolean' ? { kept: value } : { extra: value };
    default:
      return { kept: JSON.stringify(value) };
  }
}

/** The fields of an object: the described ones into the struct, the rest whole into the remainder. */
function splitFields(
  value: Record<string, unknown>,
  fields: readonly ParquetColumn[],
  described: ReadonlySet<string>,
): { kept: Record<string, unknown>; extra?: Record<string, unknown> } {
  const kept: Record<string, unknown> = {};
  let extra: Record<string, unknown> | undefined;
  for (const field of fields) {
    const part = splitValue(value[field.name], field);
    if (part.kept !== undefined) kept[field.name] = part.kept;
    if (part.extra !== undefined) (extra ??= {})[field.name] = part.extra;
  }
  for (const [name, fieldValue] of Object.entries(value)) {
    if (!described.has(name)) (extra ??= {})[name] = fieldValue;
  }
  return extra ? { kept, extra } : { kept };
}

const fieldNames = new WeakMap<readonly ParquetColumn[], ReadonlySet<string>>();
function namesOf(fields: readonly ParquetColumn[]): ReadonlySet<string> {
  let names = fieldNames.get(fields);
  if (!names) fieldNames.set(fields, (names = new Set(fields.map((field) => field.name))));
  return names;
}

function splitValue(value: unknown, column: ParquetColumn): Split {
  if (value === undefined) return NOTHING;
  // An explicit null is a value too: the column holds null, the remainder says it was there.
  if (value === null) return { extra: null };
  switch (column.kind) {
    case 'struct':
      return isPlainObject(value) ? splitFields(value, column.fields, namesOf(column.fields)) : { extra: value };
    case 'list': {
      if (!Array.isArray(value)) return { extra: value };
      const kept: unknown[] = [];
      const extra: unknown[] = [];
      let anyExtra = false;
      for (const item of value) {
        const part = splitValue(item, column.element);
        kept.push(part.kept ?? null);
        extra.push(part.extra ?? null);
        if (part.extra !== undefined && part.extra !== null) anyExtra = true;
      }
      return anyExtra ? { kept, extra } : { kept };
    }
    case 'map': {
      if (!isPlainObject(value)) return { extra: value };
      const kept: Record<string, unknown> = {};
      let extra: Record<string, unknown> | undefined;
      for (const [key, entry] of Object.entries(value)) {
        const part = splitValue(entry, column.value);
        kept[key] = part.kept ?? null;
        if (part.extra !== undefined) (extra ??= {})[key] = part.extra;
      }
      return extra ? { kept, extra } : { kept };
    }
    default:
      return scalar(column.kind, value);
  }
}

/** The row a record becomes: its columns' values, and its undescribed values as JSON (or null). */
export function splitParquetRow(record: Record<string, unknown>, columns: readonly ParquetColumn[]): ParquetRow {
  const described = columns.filter((column) => column.name !== UNDESCRIBED_VALUES_COLUMN);
  const { kept, extra } = splitFields(record, described, namesOf(described));
  kept[UNDESCRIBED_VALUES_COLUMN] = extra === undefined ? null : JSON.stringify(extra);
  return kept;
}

/**
 * The record a row read back from a file stands for. `row` as any reader gives it: nulls for
 * absent values, bigint or number for int64, a map as an object, a `Map` or a list of
 * `{ key, value }` entries.
 */
export function joinParquetRow(
  row: Record<string, unknown>,
  columns: readonly ParquetColumn[],
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const column of columns) {
    if (column.name === UNDESCRIBED_VALUES_COLUMN) continue;
    const value = plainValue(row[column.name], column);
    if (value !== undefined) record[column.name] = value;
  }
  const extra = row[UNDESCRIBED_VALUES_COLUMN];
  return typeof extra === 'string' ? (merge(record, JSON.parse(extra)) as Record<string, unknown>) : record;
}

function mapEntries(value: unknown): Array<[string, unknown]> {
  if (value instanceof Map) return [...value.entries()];
  if (Array.isArray(value)) return value.map((entry: { key: string; value: unknown }) => [entry.key, entry.value]);
  return Object.entries(value as Record<string, unknown>);
}

/** A column's value as JSON has it: nulls left out (but kept as list elements), numbers as numbers. */
function plainValue(value: unknown, column: ParquetColumn): unknown {
  if (value === null || value === undefined) return undefined;
  switch (column.kind) {
    case 'struct': {
      const object: Record<string, unknown> = {};
      for (const field of column.fields) {
        const fieldValue = plainValue((value as Record<string, unknown>)[field.name], field);
        if (fieldValue !== undefined) object[field.name] = fieldValue;
      }
      return object;
    }
    case 'list':
      return (value as unknown[]).map((item) => plainValue(item, column.element) ?? null);
    case 'map':
      return Object.fromEntries(
        mapEntries(value).map(([key, entry]) => [key, plainValue(entry, column.value) ?? null]),
      );
    case 'int64':
    case 'double':
      return Number(value);
    case 'json':
      return JSON.parse(value as string);
    default:
      return value;
  }
}

/** Puts the remainder back: objects field by field, lists element by element (null: nothing). */
function merge(base: unknown, extra: unknown): unknown {
  if (isPlainObject(extra) && isPlainObject(base)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [name, value] of Object.entries(extra)) merged[name] = merge(base[name], value);
    return merged;
  }
  if (Array.isArray(extra) && Array.isArray(base)) {
    return base.map((item, index) =>
      extra[index] === null || extra[index] === undefined ? item : merge(item, extra[index]),
    );
  }
  return extra;
}
