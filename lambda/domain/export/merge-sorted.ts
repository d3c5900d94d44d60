/**
 * Merges ascending streams of ids into one ascending stream without repeats (an id in several
 * streams, or several times in a row in one, comes out once). Compares as DynamoDB orders
 * ASCII string keys.
 */
export async function* mergeSortedUnique(streams: ReadonlyArray<AsyncIterable<string>>): AsyncGenerator<string> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((iterator) => iterator.next()));
  let last: string | undefined;
  for (;;) {
    let smallest = -1;
    heads.forEach((head, index) => {
      if (!head.done && (smallest < 0 || head.value < (heads[smallest].value as string))) smallest = index;
    });
    if (smallest < 0) return;
    const value = heads[smallest].value as string;
    if (value !== last) yield value;
    last = value;
    heads[smallest] = await iterators[smallest].next();
  }
}
