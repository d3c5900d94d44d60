/**
 * Create requests at the bounds of the schema, for the tests of payload limits: 256-character
 * identifiers, 8,192-character field lists and up to 100 segments.
 */

/** An identifier of 256 characters starting with `n`, filled with `char`. */
export function maximalId(n: number, char = 'x'): string {
  return `${n}`.padEnd(256, char);
}

/** A field list of valid dot paths as close to 8,192 characters as whole entries allow. */
export function maximalFieldList(): string {
  return Array.from({ length: 2000 }, (_, n) => `f${n}`)
    .join(',')
    .slice(0, 8192)
    .replace(/,[^,]*$/, '');
}

/**
 * A request at every bound: `segments` segments of 256-character ids (filled with `char`; a
 * control character weighs 6 bytes in JSON), two maximal field lists, one batch per segment
 * when `segmentPerBatch` (otherwise into `datasetId`, which a job created over HTTP must name
 * a dataset of its tenant).
 */
export function maximalRequest(
  segments: number,
  options: { char?: string; segmentPerBatch?: boolean; datasetId?: string } = {},
): Record<string, unknown> {
  const { char = 'x', segmentPerBatch = true, datasetId = '5b7c86968f7b6501e21ba9df' } = options;
  const id = (n: number) => maximalId(n, char);
  const fields = maximalFieldList();
  return {
    fields,
    filter: {
      segments: Array.from({ length: segments }, (_, n) => ({
        segmentId: id(n),
        segmentNs: id(n),
        status: ['realized', 'existing', 'exited'],
      })),
    },
    additionalFields: { eventList: { fields, filter: {} } },
    destination: { datasetId: segmentPerBatch ? id(0) : datasetId, segmentPerBatch },
    schema: { name: segmentPerBatch ? id(0) : '_xdm.context.profile' },
  };
}
