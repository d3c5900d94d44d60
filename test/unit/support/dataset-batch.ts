import type { ExportExecutionInput } from '../../../lambda/contract/workflow';
import { completeBatch, type CompleteBatch } from '../../../lambda/domain/query/dataset-table';

/** A dataset id as the datasets API makes them: 24 lowercase hex characters. */
export const DATASET_ID = 'aa00bb11cc22dd33ee44ff55';

/** The job of an export into DATASET_ID of org@AdobeOrg/prod (batch b1), as the workflow carries it. */
export function exportJobInto(
  destination: Partial<ExportExecutionInput['job']['destination']> = {},
  schemaName = '_xdm.context.profile',
): ExportExecutionInput['job'] {
  return {
    id: 1,
    imsOrgId: 'org@AdobeOrg',
    sandboxName: 'prod',
    destination: { datasetId: DATASET_ID, segmentPerBatch: false, batchId: 'b1', ...destination },
    schema: { name: schemaName },
    creationTime: 0,
  } as ExportExecutionInput['job'];
}

/** Batch b1 of a Parquet job into DATASET_ID, complete with the given part files. */
export function completeParquetBatch(partFiles = ['part-0000-000000.parquet']): CompleteBatch {
  const batch = completeBatch(exportJobInto({ format: 'parquet' }), 'b1', partFiles);
  if (!('tableName' in batch)) throw new Error(batch.reason);
  return batch;
}
