import type * as apigateway from 'aws-cdk-lib/aws-apigateway';

/**
 * CDK's JsonSchema spells `$schema` and `$ref` without the dollar and adds it back when it
 * writes the template (leaving property names alone). This is the inverse mapping, so the API
 * Gateway model is generated from the very schema object the handler validates with.
 */
export function toCdkJsonSchema(schema: unknown): apigateway.JsonSchema {
  return rename(schema, false) as apigateway.JsonSchema;
}

const RENAMED: Readonly<Record<string, string>> = { $schema: 'schema', $ref: 'ref' };
const USER_DEFINED_KEYS = new Set(['properties', 'definitions', 'patternProperties', 'dependencies']);

function rename(value: unknown, keysAreNames: boolean): unknown {
  if (Array.isArray(value)) return value.map((entry) => rename(entry, false));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      keysAreNames ? key : (RENAMED[key] ?? key),
      rename(child, !keysAreNames && USER_DEFINED_KEYS.has(key)),
    ]),
  );
}
