import { fieldTreeOf, type FieldTree } from '../../contract/field-tree';

export type Projection = (document: Record<string, unknown>) => Record<string, unknown>;

/**
 * Compiles a list of dot paths into a projection that keeps the structure of the document:
 * `identities.id` keeps `{ identities: [{ id }] }` (a path goes through arrays element by
 * element), overlapping paths merge, and missing fields are left out. No paths keeps all.
 */
export function compileProjection(paths: readonly string[]): Projection {
  if (paths.length === 0) return (document) => document;
  const tree = fieldTreeOf(paths);
  return (document) => (select(document, tree) as Record<string, unknown> | undefined) ?? {};
}

function select(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) {
    const kept = value.map((item) => select(item, tree)).filter((item) => item !== undefined);
    return kept.length > 0 ? kept : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [field, below] of Object.entries(tree)) {
    if (!(field in source)) continue;
    const kept = below === true ? source[field] : select(source[field], below);
    if (kept !== undefined) result[field] = kept;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}
