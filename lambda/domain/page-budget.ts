/**
 * What a record weighs in an HTTP response of a Lambda proxy integration: its JSON, escaped
 * once more as the string `body` of the function's response (every quote and backslash doubles).
 */
export function responseBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(value)), 'utf8') - 2;
}

/** The longest prefix of `records` that weighs at most `maxBytes` (with its commas), never empty. */
export function withinBudget<T>(records: readonly T[], maxBytes: number): T[] {
  let total = 0;
  let count = 0;
  for (const record of records) {
    total += responseBytes(record) + 1;
    if (total > maxBytes && count > 0) break;
    count++;
  }
  return records.slice(0, count);
}
