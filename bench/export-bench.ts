#!/usr/bin/env node
import '../bin/quiet-sdk-warning';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { JobRecord } from '../lambda/contract/job-record';
import type { Tenant } from '../lambda/contract/tenant';
import { STAGES } from '../bin/stages';
import { startLocalService, type LocalService, type RunningLocalService } from '../bin/support/local-service';
import { waitForMembershipIndex } from '../bin/support/membership-index-progress';
import { generateProfiles, type GenerationOptions } from '../bin/support/profile-generator';
import { seedProfileStore } from '../bin/support/seed-profile-store';
import { readSelection, type ReadSelection } from '../lambda/domain/export/read-selection';
import {
  createBenchDatasets,
  printParquetComparison,
  tenantHeaders,
  type FormatComparison,
} from './parquet-export-bench';
import {
  benchShardSource,
  benchShards,
  engineComparison,
  EVALUATED_SEGMENT,
  EVALUATED_SEGMENT_ONLY,
  printEvaluationComparison,
  type EvaluationResults,
} from './evaluation-bench';

/** The 1% segment of the large tenant: every 100th profile, realized. */
const RARE_SEGMENT = { segmentId: 'bench-one-percent', namespace: 'ups', every: 100 } as const;

/**
 * `npm run bench`: on the local stack, with the export settings of the `bench` stage, measures
 * side by side in one run:
 *   - for a small tenant (seeded with events: the seed rate) and a large one (at least 500,000
 *     profiles by default), a bare parallel read of the tenant's profile store (the engine's
 *     reader, the same page size and concurrency as the export, nothing done with what it
 *     reads) and a full export of it through the API and the workflow (every profile, every
 *     field), with the worker's peak memory at both sizes;
 *   - at both sizes, the same full export into a Parquet dataset beside the JSON Lines one
 *     (bench/parquet-export-bench.ts): the time ratio and the Parquet worker's peak memory;
 *   - on the large tenant, an export of a 1% segment against a bare read of just its members
 *     through the membership index, and an incremental export of the 1% last updated profiles,
 *     each against the full export;
 *   - on the large tenant, an export that evaluates a segment's definition against the
 *     stored-membership export of the same segment (bench/evaluation-bench.ts): both reading
 *     every profile (the engine in-process), and against the export through the index.
 * The last five lines are the comparison lines, to compare runs.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { small: { type: 'string', default: '50000' }, large: { type: 'string', default: '500000' } },
  });
  const sizes = [Number(values.small), Number(values.large)];
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-bench-'));
  console.log(`Starting the local stack (stage bench) in ${dataDirectory} ...`);
  const stack = await startLocalService({
    stage: 'bench',
    port: 0,
    inMemory: true,
    dataDirectory,
    functionLogs: () => undefined,
  });
  try {
    const results = [];
    let seedRate = 0;
    let selective: SelectiveResults | undefined;
    let evaluation: EvaluationResults | undefined;
    const formats: FormatComparison[] = [];
    for (const [index, profiles] of sizes.entries()) {
      const tenant = { orgId: `bench-${index}@AdobeOrg`, sandboxName: 'prod' };
      // The small tenant is seeded with events, as a new user seeds; the large one without (its
      // exports ask for none) and without the common segments, so it is indexed in minutes: only
      // the segment whose evaluation is measured, its memberships derived from its definition.
      const generation: GenerationOptions = {
        profiles,
        seed: 100 + index,
        events: index === 0,
        ...(index > 0 && { memberships: EVALUATED_SEGMENT_ONLY }),
        rareSegment: RARE_SEGMENT,
      };
      const seedStart = Date.now();
      const seeded = await seedProfileStore(stack, tenant, generation);
      const seedMs = Date.now() - seedStart;
      console.log(`Seeded ${profiles} profiles and ${seeded.events} events in ${(seedMs / 1000).toFixed(1)} s`);
      if (index === 0) seedRate = profiles / (seedMs / 1000);
      const indexWaitMs = await waitForMembershipIndex(stack, tenant, generation);
      console.log(`The membership index caught up ${(indexWaitMs / 1000).toFixed(1)} s after the seeding ended`);
      const datasets = await createBenchDatasets(stack, tenant);
      const scanMs = await bareParallelRead(stack, tenant);
      const exported = await exportTenant(stack, tenant, { emptyProfiles: true }, datasets.json);
      const scanAgainMs = await bareParallelRead(stack, tenant);
      results.push({ profiles, scanMs: Math.min(scanMs, scanAgainMs), ...exported });
      const parquet = await exportTenant(stack, tenant, { emptyProfiles: true }, datasets.parquet);
      formats.push({
        profiles,
        jsonExportMs: exported.exportMs,
        parquetExportMs: parquet.exportMs,
        parquetWorkerPeakBytes: parquet.workerPeakBytes,
      });
      if (index === sizes.length - 1) {
        selective = await selectiveExports(stack, tenant, generation, datasets.json);
        evaluation = await evaluationExports(stack, tenant, profiles, datasets.json);
      }
    }
    printParquetComparison(formats);
    printEvaluationComparison(evaluation!);
    print(results, selective!, seedRate);
  } finally {
    await stack.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  }
}

interface SelectiveResults {
  readonly members: number;
  readonly memberReadMs: number;
  readonly segmentExportMs: number;
  readonly updated: number;
  readonly incrementalExportMs: number;
}

/** The 1% segment (export and bare member read) and the 1% last updated (export) of a tenant. */
async function selectiveExports(
  stack: RunningLocalService,
  tenant: Tenant,
  generation: GenerationOptions,
  datasetId: string,
): Promise<SelectiveResults> {
  const segments = [{ segmentId: RARE_SEGMENT.segmentId, segmentNs: RARE_SEGMENT.namespace }];
  const select = readSelection({ emptyProfiles: true, segments });
  const memberReads = [await bareParallelRead(stack, tenant, select), await bareParallelRead(stack, tenant, select)];
  const segment = await exportTenant(stack, tenant, { emptyProfiles: true, segments }, datasetId);
  const updateTimes = [...generateProfiles({ ...generation, events: false })]
    .map(({ profile }) => profile.mergedUpdateTime)
    .sort((a, b) => a - b);
  const fromIngestTimestamp = new Date(updateTimes[updateTimes.length - Math.ceil(updateTimes.length / 100) - 1]);
  const incremental = await exportTenant(
    stack,
    tenant,
    { emptyProfiles: true, fromIngestTimestamp: fromIngestTimestamp.toISOString() },
    datasetId,
  );
  return {
    members: segment.exported,
    memberReadMs: Math.min(...memberReads),
    segmentExportMs: segment.exportMs,
    updated: incremental.exported,
    incrementalExportMs: incremental.exportMs,
  };
}

/** The evaluated and the stored-membership export of one segment, through the API and in-process. */
async function evaluationExports(
  stack: RunningLocalService,
  tenant: Tenant,
  profiles: number,
  datasetId: string,
): Promise<EvaluationResults> {
  const filter = { segments: [{ segmentId: EVALUATED_SEGMENT }] };
  const evaluated = await exportTenant(stack, tenant, filter, datasetId, { evaluationInfo: { segmentation: true } });
  const indexed = await exportTenant(stack, tenant, filter, datasetId);
  return {
    profiles,
    ...(await engineComparison(stack, tenant)),
    evaluatedExportMs: evaluated.exportMs,
    indexedExportMs: indexed.exportMs,
  };
}

/**
 * Reads the tenant's profiles (every one, or those `select` names, through its index), shard by
 * shard, as many shards at once as the export runs.
 */
async function bareParallelRead(stack: LocalService, tenant: Tenant, select?: ReadSelection): Promise<number> {
  const { client, source } = benchShardSource(stack);
  const shards = await benchShards(client, stack, tenant);
  let read = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: STAGES.bench.exportConcurrency }, async () => {
      for (let shard = shards.shift(); shard !== undefined; shard = shards.shift()) {
        for await (const page of source.pages(tenant, shard, { select })) read += page.entries.length;
      }
    }),
  );
  const elapsed = performance.now() - started;
  client.destroy();
  return elapsed;
}

async function exportTenant(
  stack: RunningLocalService,
  tenant: Tenant,
  filter: Record<string, unknown>,
  datasetId: string,
  request: Record<string, unknown> = {},
) {
  stack.lambda.resetMemoryPeaks();
  const headers = await tenantHeaders(stack, tenant);
  const started = performance.now();
  const created = await fetch(`${stack.url}/export/jobs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      ...request,
      filter,
      destination: { datasetId },
      schema: { name: '_xdm.context.profile' },
    }),
  });
  const job = await jobFrom(created);
  let current = job;
  while (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(current.status)) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const polled = await fetch(`${stack.url}/export/jobs/${job.id}`, { headers });
    // A poll the loaded machine answered with a gateway error is asked again, not the end of the run.
    if (polled.status >= 502 && polled.status <= 504) continue;
    current = await jobFrom(polled);
  }
  if (current.status !== 'SUCCEEDED')
    throw new Error(`The export ended ${current.status}: ${JSON.stringify(current.errors)}`);
  const workerPeak =
    Object.entries(stack.lambda.memoryPeaks()).find(([name]) => name.includes('ExportShard'))?.[1] ?? 0;
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
  selective: SelectiveResults,
  seedRate: number,
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
  console.log(
    `segment export of ${selective.members} members: ${(selective.segmentExportMs / 1000).toFixed(2)} s ` +
      `(bare member read ${(selective.memberReadMs / 1000).toFixed(2)} s); incremental export of ${selective.updated} ` +
      `profiles: ${(selective.incrementalExportMs / 1000).toFixed(2)} s; full export ${(large.exportMs / 1000).toFixed(2)} s`,
  );
  // The comparison lines, last, in this exact form.
  console.log('');
  console.log(`full export / bare read at ${large.profiles} profiles: ${exportRatio.toFixed(2)}x`);
  console.log(
    `segment export / bare member read at ${large.profiles} profiles, ${selective.members} members: ` +
      `${(selective.segmentExportMs / selective.memberReadMs).toFixed(2)}x`,
  );
  console.log(`segment export speed-up over full export: ${(large.exportMs / selective.segmentExportMs).toFixed(1)}x`);
  console.log(
    `incremental export speed-up over full export: ${(large.exportMs / selective.incrementalExportMs).toFixed(1)}x`,
  );
  console.log(`seed rate: ${Math.round(seedRate)} profiles/s`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
