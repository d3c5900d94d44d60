import { readBatch as readLocalBatch, type ReadBatch } from '../../../bin/support/batch-reader';
import type { LocalService } from '../../../bin/support/local-service';
import type { TestTenant } from './api-client';
import { localStack } from './local-stack-control';

/**
 * Reads a batch and checks it as a consumer would rely on it: every part the manifest lists
 * is there, with the size, sha256 and record count the manifest gives, and the totals add up.
 */
export async function readBatch(
  tenant: TestTenant,
  datasetId: string,
  batchId: string,
  stack: LocalService = localStack(),
): Promise<ReadBatch> {
  const batch = await readLocalBatch(stack, tenant, datasetId, batchId);
  for (const part of batch.parts)
    expect({ file: part.file, ...part.actual }).toEqual({ file: part.file, ...part.listed });
  if (batch.manifest) expect(batch.manifest.totalRecords).toBe(batch.records.length);
  return batch;
}
