#!/usr/bin/env node
import '../bin/quiet-sdk-warning';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbProfileShardSource } from '../lambda/adapters/dynamodb-profile-shard-source';
import type { JobRecord } from '../lambda/contract/job-record';
import { PROFILE_STORE } from '../lambda/contract/profile-store';
import type { Tenant } from '../lambda/contract/tenant';
import { STAGES } from '../bin/stages';
import { LOCAL_CREDENTIALS } from '../local/local-network';
import { standardPlanApiKey } from '../local/local-client';
import { startLocalStack, type RunningLocalStack } from '../local/local-stack';
import { seedProfileStore } from '../local/seed/seed-profile-store';

/**
 * `npm run bench`: on the local stack, with the export settings of the `bench` stage, measures
 * side by side in one run, for a small and a large tenant:
 *   - a bare parallel read of the tenant's profile store (the engine's reader, the same page
 *     size and concurrency as the export, nothing done with what it reads), and
 *   - a full export of the same tenant through the API and the workflow (every profile, every
 *     field: the heaviest job),
 * and prints the export's throughput, its time relative to the bare read (goal: at most 1.5x),
 * and the peak memory of one export worker at both sizes (goal: ratio under 1.3).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { small: { type: 'string', default: '20000' }, large: { type: 'string', default: '200000' } },
  });
  const sizes = [Number(values.small), Number(values.large)];
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-bench-'));
  console.log(`Starting the local stack (stage bench) in ${dataDirectory} ...`);
  const stack = await startLocalStack({
    stage: 'bench',
    port: 0,
    inMemory: true,
    dataDirectory,
    functionLogs: () => undefined,
  });
  try {
    const results = [];
    for (const [index, profiles] of sizes.entries()) {
      const tenant = { orgId: `bench-${index}@AdobeOrg`, sandboxName: 'prod' };
      const seedStart = Date.now();
      await seedProfileStore(stack, tenant, { profiles, seed: 100 + index, events: false });
      console.log(`Seeded ${profiles} profiles in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
      const scanMs = await bareParallelRead(stack, tenant);
      const exported = await exportTenant(stack, tenant);
      const scanAgainMs = await bareParallelRead(stack, tenant);
      results.push({ profiles, scanMs: Math.min(scanMs, scanAgainMs), ...exported });
    }
    print(results);
  } finally {
    await stack.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  }
}

/** Reads every profile of the tenant, shard by shard, as many shards at once as the export runs. */
async function bareParallelRead(stack: RunningLocalStack, tenant: Tenant): Promise<number> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
  );
  const source = new DynamoDbProfileShardSource(
    client,
    { profiles: stack.profileTable, events: stack.eventTable },
    STAGES.bench.exportPageSize,
  );
  const shards = Array.from({ length: PROFILE_STORE.buckets }, (_, shard) => shard);
  let read = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: STAGES.bench.exportConcurrency }, async () => {
      for (let shard = shards.shift(); shard !== undefined; shard = shards.shift()) {
        for await (const page of source.pages(tenant, shard, {})) read += page.entries.length;
      }
    }),
  );
  const elapsed = performance.now() - started;
  client.destroy();
  return elapsed;
}

async function exportTenant(stack: RunningLocalStack, tenant: Tenant) {
  stack.lambda.resetMemoryPeaks();
  const token = await stack.devIssuer.mint({ orgs: [tenant.orgId], sandboxes: [tenant.sandboxName] });
  const headers = {
    authorization: `Bearer ${token}`,
    'x-api-key': standardPlanApiKey(stack.apiKeys),
    'x-gw-ims-org-id': tenant.orgId,
    'x-sandbox-name': tenant.sandboxName,
    'content-type': 'application/json',
  };
  const started = performance.now();
  const created = await fetch(`${stack.url}/export/jobs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      filter: { emptyProfiles: true },
      destination: { datasetId: 'bench' },
      schema: { name: '_xdm.context.profile' },
    }),
  });
  const job = await jobFrom(created);
  let current = job;
  while (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(current.status)) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    current = await jobFrom(await fetch(`${stack.url}/export/jobs/${job.id}`, { headers }));
  }
  if (current.status !== 'SUCCEEDED')
    throw new Error(`The export ended ${current.status}: ${JSON.stringify(current.errors)}`);
  const workerPeak = Object.entries(stack.lambda.memoryPeaks()).find(([name]) => name.includes('ExportShard'))![1];
  return {
    exportMs: current.metrics.profileExportTime!.totalTimeInMs!,
    wallMs: performance.now() - started,
    exported: current.metrics.totalExportedProfileCounter!,
    workerPeakBytes: workerPeak,
  };
}

/** The job a response holds; any other answer ends the benchmark (rather than polling forever). */
async function jobFrom(response: Response): Promise<JobRecord> {
  if (!response.ok) throw new Error(`The API answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as JobRecord;
}

function print(
  results: Array<{
    profiles: number;
    scanMs: number;
    exportMs: number;
    wallMs: number;
    exported: number;
    workerPeakBytes: number;
  }>,
): void {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.log(
    '\nprofiles  bare read   export (workers)  export/read  throughput        job wall time  worker peak memory',
  );
  for (const r of results) {
    console.log(
      `${String(r.profiles).padStart(8)}  ${(r.scanMs / 1000).toFixed(2).padStart(7)} s  ${(r.exportMs / 1000).toFixed(2).padStart(14)} s  ` +
        `${(r.exportMs / r.scanMs).toFixed(2).padStart(10)}x  ${Math.round(r.exported / (r.exportMs / 1000))
          .toString()
          .padStart(8)} profiles/s  ` +
        `${(r.wallMs / 1000).toFixed(2).padStart(11)} s  ${mb(r.workerPeakBytes).padStart(18)}`,
    );
  }
  const [small, large] = results;
  const exportRatio = large.exportMs / large.scanMs;
  const memoryRatio = large.workerPeakBytes / small.workerPeakBytes;
  console.log(
    `\nexport / bare read at ${large.profiles} profiles: ${exportRatio.toFixed(2)}x (goal <= 1.5x) ${exportRatio <= 1.5 ? 'MET' : 'NOT MET'}`,
  );
  console.log(
    `worker peak memory, ${large.profiles} vs ${small.profiles} profiles: ${memoryRatio.toFixed(2)} (goal < 1.3) ${memoryRatio < 1.3 ? 'MET' : 'NOT MET'}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
