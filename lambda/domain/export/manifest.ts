import { FORMAT_OF_JOBS_WITHOUT_ONE, type FileFormat } from '../../contract/file-format';
import type { JobMetrics } from '../../contract/job-record';
import type { ExportExecutionInput } from '../../contract/workflow';
import type { PartSummary } from './ports';

/** What the part files of each format are: their media type and how they are compressed. */
export const PART_FILE_ENCODINGS = {
  json: { contentType: 'application/x-ndjson', compression: 'gzip' },
  // Parquet compresses each column chunk inside the file (snappy); the file itself is not.
  parquet: { contentType: 'application/vnd.apache.parquet', compression: 'snappy' },
} as const satisfies Record<FileFormat, { contentType: string; compression: string }>;

/** `manifest.json` of a batch: written last, it is what makes the batch complete. */
export interface BatchManifest {
  readonly jobId: number;
  readonly imsOrgId: string;
  readonly sandboxName: string;
  readonly datasetId: string;
  readonly batchId: string;
  readonly schema: { readonly name: string };
  readonly segment?: { readonly segmentId: string; readonly segmentNs?: string; readonly status: readonly string[] };
  /** The format of the part files (their dataset's). */
  readonly format: FileFormat;
  readonly contentType: (typeof PART_FILE_ENCODINGS)[FileFormat]['contentType'];
  readonly compression: (typeof PART_FILE_ENCODINGS)[FileFormat]['compression'];
  readonly parts: ReadonlyArray<{
    readonly file: string;
    readonly records: number;
    readonly bytes: number;
    readonly sha256: string;
  }>;
  readonly totalRecords: number;
  readonly totalBytes: number;
  readonly createdAt: string;
}

/** The manifest of one batch from the parts recorded for it (any order). */
export function buildManifest(
  job: ExportExecutionInput['job'],
  batchId: string,
  parts: readonly PartSummary[],
  createdAt: number,
): BatchManifest {
  const ofBatch = parts.filter((part) => part.batchId === batchId).sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  const format = job.destination.format ?? FORMAT_OF_JOBS_WITHOUT_ONE;
  const segment = job.destination.batches?.find((batch) => batch.batchId === batchId);
  return {
    jobId: job.id,
    imsOrgId: job.imsOrgId,
    sandboxName: job.sandboxName,
    datasetId: job.destination.datasetId,
    batchId,
    schema: job.schema,
    ...(segment && {
      segment: {
        segmentId: segment.segmentId,
        ...(segment.segmentNs !== undefined && { segmentNs: segment.segmentNs }),
        status: segment.status,
      },
    }),
    format,
    ...PART_FILE_ENCODINGS[format],
    parts: ofBatch.map(({ fileName, records, bytes, sha256 }) => ({ file: fileName, records, bytes, sha256 })),
    totalRecords: ofBatch.reduce((sum, part) => sum + part.records, 0),
    totalBytes: ofBatch.reduce((sum, part) => sum + part.bytes, 0),
    createdAt: new Date(createdAt).toISOString(),
  };
}

export function timing(startTimeInMs: number, endTimeInMs: number) {
  return { startTimeInMs, endTimeInMs, totalTimeInMs: endTimeInMs - startTimeInMs };
}

/** Exported records in all batches, in total and per identity namespace. */
export function exportCounters(
  parts: readonly PartSummary[],
): Pick<JobMetrics, 'totalExportedProfileCounter' | 'exportedProfileByNamespaceCounter'> {
  const byNamespace: Record<string, number> = {};
  for (const part of parts) {
    for (const [namespace, count] of Object.entries(part.namespaces))
      byNamespace[namespace] = (byNamespace[namespace] ?? 0) + count;
  }
  return {
    totalExportedProfileCounter: parts.reduce((sum, part) => sum + part.records, 0),
    exportedProfileByNamespaceCounter: byNamespace,
  };
}
