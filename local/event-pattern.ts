/**
 * EventBridge's event pattern language, as Lambda event filters and EventBridge rules use it:
 * a pattern is an object whose leaves are arrays of allowed values; a value may be a literal,
 * or `{ prefix }`, `{ exists }`, `{ "anything-but" }` or `{ numeric }`. An operator this does
 * not know throws, so a template that needs more fails loudly instead of matching wrongly.
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((allowed) => matchesValue(allowed, event));
  if (pattern === null || typeof pattern !== 'object')
    throw new Error(`Unsupported event pattern: ${JSON.stringify(pattern)}`);
  const object =
    event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
  return Object.entries(pattern as Record<string, unknown>).every(([field, rule]) => {
    if (Array.isArray(rule) && rule.length === 1 && isExists(rule[0])) {
      return field in object === (rule[0] as { exists: boolean }).exists;
    }
    if (!(field in object)) return false;
    return matchesPattern(rule, object[field]);
  });
}

function isExists(rule: unknown): boolean {
  return rule !== null && typeof rule === 'object' && 'exists' in (rule as object);
}

function matchesValue(allowed: unknown, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  if (allowed === null || typeof allowed !== 'object') return values.some((candidate) => candidate === allowed);
  const [operator, operand] = Object.entries(allowed as Record<string, unknown>)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return values.some((candidate) => typeof candidate === 'string' && candidate.startsWith(String(operand)));
    case 'anything-but': {
      const excluded = Array.isArray(operand) ? operand : [operand];
      return values.every((candidate) => !excluded.includes(candidate));
    }
    case 'numeric': {
      const conditions = operand as Array<string | number>;
      return values.some((candidate) => typeof candidate === 'number' && numericMatches(conditions, candidate));
    }
    default:
      throw new Error(`Unsupported event pattern operator: ${JSON.stringify(allowed)}`);
  }
}

function numericMatches(conditions: Array<string | number>, value: number): boolean {
  for (let index = 0; index < conditions.length; index += 2) {
    const [operator, bound] = [conditions[index], Number(conditions[index + 1])];
    const holds =
      operator === '='
        ? value === bound
        : operator === '<'
          ? value < bound
          : operator === '<='
            ? value <= bound
            : operator === '>'
              ? value > bound
              : operator === '>='
                ? value >= bound
                : false;
    if (!holds) return false;
  }
  return true;
}
