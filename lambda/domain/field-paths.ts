import type { FieldError } from './errors';

/** One dot path segment: what an XDM field name may contain. */
const SEGMENT = /^[A-Za-z0-9_$@:-]+$/;

/**
 * Parses a `fields` list such as "identities.id, personalEmail.address" into dot paths.
 * Blanks around commas are ignored; an empty or blank list means all fields (an empty array).
 */
export function parseFieldList(text: string, path: string): { paths: string[]; errors: FieldError[] } {
  if (text.trim() === '') return { paths: [], errors: [] };
  const paths: string[] = [];
  const errors: FieldError[] = [];
  text.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    if (entry.split('.').every((segment) => SEGMENT.test(segment))) {
      if (!paths.includes(entry)) paths.push(entry);
    } else {
      errors.push({
        path,
        code: 'field_path',
        message: `entry ${index + 1} (${JSON.stringify(entry)}) is not a dot path such as "personalEmail.address"`,
      });
    }
  });
  return { paths, errors };
}

/** The canonical text of a field list: entries trimmed, duplicates dropped, comma-separated. */
export function formatFieldList(paths: readonly string[]): string {
  return paths.join(',');
}
