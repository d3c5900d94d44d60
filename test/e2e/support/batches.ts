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

/**
 * Waits until a batch folder holds no file: the partial output of a job that ended FAILED or
 * CANCELLED is deleted once its end is processed, and a worker still running then (Step
 * Functions does not interrupt a running Lambda invocation) deletes its part when it finishes.
 */
export async function waitForEmptyBatch(
  tenant: TestTenant,
  datasetId: string,
  batchId: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let files = (await readLocalBatch(localStack(), tenant, datasetId, batchId)).files;
  while (files.length > 0) {
    if (Date.now() > deadline) throw new Error(`Batch ${batchId} still holds ${files.join(', ')} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    files = (await readLocalBatch(localStack(), tenant, datasetId, batchId)).files;
  }
}
