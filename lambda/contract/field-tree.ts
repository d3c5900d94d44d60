/**
 * A list of dot paths as a tree (`true` keeps the whole value below), the one reading of a
 * job's `fields`: the records' projection keeps these values and the Parquet columns are these
 * fields, so the two always agree. Overlapping paths merge; a path below a kept one adds nothing.
 */
export type FieldTree = { [field: string]: FieldTree | true };

export function fieldTreeOf(paths: readonly string[]): FieldTree {
  const tree: FieldTree = {};
  for (const path of paths) {
    let node = tree;
    const segments = path.split('.');
    segments.forEach((segment, index) => {
      if (node[segment] === true) return;
      if (index === segments.length - 1) node[segment] = true;
      else node = (node[segment] ??= {}) as FieldTree;
    });
  }
  return tree;
}
