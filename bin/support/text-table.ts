/**
 * Rows as a plain text table, as a SQL console prints them: a header, a rule, one line per
 * row; objects and lists as JSON, nulls as NULL, numbers right-aligned.
 */
export function formatTable(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const cell = (value: unknown) =>
    value === null || value === undefined ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((line) => line[index].length)));
  const numeric = columns.map((column) => rows.length > 0 && rows.every((row) => typeof row[column] === 'number'));
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => (numeric[index] ? value.padStart(widths[index]) : value.padEnd(widths[index])))
      .join(' | ')
      .trimEnd();
  return [line(columns), widths.map((width) => '-'.repeat(width)).join('-+-'), ...cells.map(line)].join('\n');
}
