/**
 * The file formats a dataset's batches are written in, the one place that names them: the
 * datasets API validates `fileDescription.format` against them, a job records its dataset's
 * format in `destination.format`, the export workers pick their part writer by it, and the
 * Glue tables and the local query engine read the files by it.
 */
export const FILE_FORMATS = ['parquet', 'json'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** A dataset created without `fileDescription.format` holds Parquet, as the reference platform's do. */
export const DEFAULT_DATASET_FILE_FORMAT: FileFormat = 'parquet';

/** Jobs recorded before datasets existed carry no format: they wrote gzip JSON Lines. */
export const FORMAT_OF_JOBS_WITHOUT_ONE: FileFormat = 'json';

/** The extension of a part file of each format. */
export const PART_FILE_EXTENSIONS: Readonly<Record<FileFormat, string>> = {
  parquet: '.parquet',
  json: '.json.gz',
};
