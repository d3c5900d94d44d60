interface SchemaShape {
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly items?: unknown;
}

/**
 * A copy of `value` whose object keys follow the order of the schema's properties (unknown keys
 * last). DynamoDB returns attributes in no particular order; clients get them as documented.
 */
export function orderBySchema<T>(schema: SchemaShape, value: T): T {
  if (Array.isArray(value)) {
    return (schema.items ? value.map((item) => orderBySchema(schema.items as SchemaShape, item)) : value) as T;
  }
  if (value === null || typeof value !== 'object' || !schema.properties) return value;
  const source = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const [key, propertySchema] of Object.entries(schema.properties)) {
    if (key in source) ordered[key] = orderBySchema(propertySchema as SchemaShape, source[key]);
  }
  for (const key of Object.keys(source)) if (!(key in ordered)) ordered[key] = source[key];
  return ordered as T;
}
