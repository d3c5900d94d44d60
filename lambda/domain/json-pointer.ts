/** Appends one property name to a JSON pointer, escaping `~` and `/` as RFC 6901 asks. */
export function pointer(base: string, property: string | number): string {
  return `${base}/${String(property).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
