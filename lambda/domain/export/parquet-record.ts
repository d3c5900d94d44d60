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

type Splitter = (value: unknown) => Split;

/** Splits a value that is not null or undefined. */
type PresentSplitter = (value: NonNullable<unknown>) => Split;

const SCALAR_SPLITTERS: Readonly<Record<string, PresentSplitter>> = {
  string: (value) => (typeof value === 'string' ? { kept: value } : { extra: value }),
  int64: (value) => (Number.isSafeInteger(value) ? { kept: BigInt(value as number) } : { extra: value }),
  double: (value) => (typeof value === 'number' ? { kept: value } : { extra: value }),
  boolean: (value) => (typeof value === 'boolean' ? { kept: value } : { extra: value }),
  json: (value) => ({ kept: JSON.stringify(value) }),
};

/**
 * The splitter of a column, compiled once per part file: the export splits every record with
 * it, so the column tree is walked once, not once per value.
 */
function compileSplitter(column: ParquetColumn): Splitter {
  const present = compilePresent(column);
  return (value) => {
    if (value === undefined) return NOTHING;
    // An explicit null is a value too: the column holds null, the remainder says it was there.
    if (value === null) return { extra: null };
    return present(value);
  };
}

function compilePresent(column: ParquetColumn): PresentSplitter {
  switch (column.kind) {
    case 'struct': {
      const fields = compileFields(column.fields);
      return (value) => (isPlainObject(value) ? fields(value) : { extra: value });
    }
    case 'list': {
      const element = compileSplitter(column.element);
      return (value) => {
        if (!Array.isArray(value)) return { extra: value };
        const kept: unknown[] = new Array(value.length);
        let extra: unknown[] | undefined;
        for (let index = 0; index < value.length; index++) {
          const part = element(value[index]);
          kept[index] = part.kept ?? null;
          if (part.extra !== undefined && part.extra !== null)
            (extra ??= new Array(value.length).fill(null))[index] = part.extra;
        }
        return extra ? { kept, extra } : { kept };
      };
    }
    case 'map': {
      const entry = compileSplitter(column.value);
      return (value) => {
        if (!isPlainObject(value)) return { extra: value };
        const kept: Record<string, unknown> = {};
        let extra: Record<string, unknown> | undefined;
        for (const key in value) {
          const part = entry(value[key]);
          kept[key] = part.kept ?? null;
          if (part.extra !== undefined) (extra ??= {})[key] = part.extra;
        }
        return extra ? { kept, extra } : { kept };
      };
    }
    default:
      return SCALAR_SPLITTERS[column.kind];
  }
}

/** The fields of an object: the described ones into the struct, the rest whole into the remainder. */
function compileFields(
  columns: readonly ParquetColumn[],
): (value: Record<string, unknown>) => { kept: Record<string, unknown>; extra?: Record<string, unknown> } {
  const fields = columns.map((column) => ({ name: column.name, split: compileSplitter(column) }));
  const described = new Set(columns.map((column) => column.name));
  return (value) => {
    const kept: Record<string, unknown> = {};
    let extra: Record<string, unknown> | undefined;
    for (const { name, split } of fields) {
      const part = split(value[name]);
      if (part.kept !== undefined) kept[name] = part.kept;
      if (part.extra !== undefined) (extra ??= {})[name] = part.extra;
    }
    for (const name in value) {
      if (!described.has(name)) (extra ??= {})[name] = value[name];
    }
    return extra ? { kept, extra } : { kept };
  };
}

/** Splits records into rows of these columns (compiled once, used for every record of a file). */
export function compileRowSplitter(columns: readonly ParquetColumn[]): (record: Record<string, unknown>) => ParquetRow {
  const fields = compileFields(columns.filter((column) => column.name !== UNDESCRIBED_VALUES_COLUMN));
  return (record) => {
    const { kept, extra } = fields(record);
    kept[UNDESCRIBED_VALUES_COLUMN] = extra === undefined ? null : JSON.stringify(extra);
    return kept;
  };
}

/** The row a record becomes: its columns' values, and its undescribed values as JSON (or null). */
export function splitParquetRow(record: Record<string, unknown>, columns: readonly ParquetColumn[]): ParquetRow {
  return compileRowSplitter(columns)(record);
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
