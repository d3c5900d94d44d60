#!/usr/bin/env node
import './quiet-sdk-warning';
import { parseArgs } from 'node:util';
import type { JobRecord } from '../lambda/contract/job-record';
import { readBatch } from './support/batch-reader';
import { authenticatedHeaders, readLocalService } from './support/local-client';

/**
 * `npm run batch -- <jobId> [--org O] [--sandbox S] [--lines N]`: prints the batches of a job
 * of the running local stack — each manifest, whether every part matches it, and the first
 * exported profiles.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      org: { type: 'string', default: 'demo-org@AdobeOrg' },
      sandbox: { type: 'string', default: 'prod' },
      lines: { type: 'string', default: '3' },
      'data-dir': { type: 'string', default: '.local' },
    },
  });
  const stack = readLocalService(values['data-dir']);
  const tenant = { orgId: values.org, sandboxName: values.sandbox };
  // As a client would: a token of the local issuer for this tenant, and an API key.
  const response = await fetch(`${stack.url}/export/jobs/${positionals[0]}`, {
    headers: await authenticatedHeaders(values['data-dir'], tenant),
  });
  if (!response.ok) throw new Error(`GET /export/jobs/${positionals[0]}: ${response.status} ${await response.text()}`);
  const job = (await response.json()) as JobRecord;
  console.log(`Job ${job.id}: ${job.status}, ${job.metrics.totalExportedProfileCounter ?? 0} profiles exported`);
  const batchIds = job.destination.batches?.map((batch) => batch.batchId) ?? [job.destination.batchId!];
  for (const batchId of batchIds) {
    const batch = await readBatch(stack, tenant, job.destination.datasetId, batchId);
    console.log(`\nBatch ${batchId}: ${batch.files.length} files`);
    if (!batch.manifest) {
      console.log('  no manifest.json: the batch is not complete');
      continue;
    }
    const bad = batch.parts.filter((part) => JSON.stringify(part.actual) !== JSON.stringify(part.listed));
    console.log(
      `  manifest: ${batch.manifest.parts.length} parts, ${batch.manifest.totalRecords} records, ${batch.manifest.totalBytes} bytes`,
    );
    console.log(
      `  parts match the manifest (size, sha256, records): ${bad.length === 0 ? 'yes' : `no: ${bad.map((part) => part.file).join(', ')}`}`,
    );
    for (const record of batch.records.slice(0, Number(values.lines))) console.log(`  ${JSON.stringify(record)}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
