/**
 * The list cursor `<creationTimeMs>_<id>`: the position of a job in the newest-first order
 * (creation time descending, then id descending). A page starts strictly after it, so a walk
 * of `link.next` returns every job once, whatever is created meanwhile.
 */
export interface Cursor {
  readonly creationTime: number;
  readonly id: number;
}

const CURSOR = /^(\d{1,15})_([1-9]\d{0,15})$/;

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.creationTime}_${cursor.id}`;
}

/** The cursor, or undefined when `text` is not one. */
export function decodeCursor(text: string): Cursor | undefined {
  const match = CURSOR.exec(text);
  if (!match) return undefined;
  const creationTime = Number(match[1]);
  const id = Number(match[2]);
  if (!Number.isSafeInteger(creationTime) || !Number.isSafeInteger(id)) return undefined;
  return { creationTime, id };
}
