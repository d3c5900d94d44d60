import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STAGES } from '../bin/stages';
import { SEEDED_SEGMENT_DEFINITIONS, withDefinedSegments } from '../bin/support/generated-segments';
import type { LocalService } from '../bin/support/local-service';
import type { MembershipDeriver } from '../bin/support/profile-generator';
import { DynamoDbConfigStore } from '../lambda/adapters/config-store/dynamodb-config-store';
import { DynamoDbProfileShardSource } from '../lambda/adapters/dynamodb-profile-shard-source';
import { DynamoDbStoreLayouts } from '../lambda/adapters/dynamodb-store-layout';
import type { Tenant } from '../lambda/contract/tenant';
import type { ShardTask } from '../lambda/contract/workflow';
import { exportShardStep } from '../lambda/domain/export/export-shard-step';
import type { PartStore } from '../lambda/domain/export/ports';
import { LOCAL_CREDENTIALS } from '../local/local-network';

/** The segment evaluation is measured on: a seeded definition over attributes (about 15% realized). */
export const EVALUATED_SEGMENT = SEEDED_SEGMENT_DEFINITIONS[0].segmentId;

/**
 * The memberships of the large bench tenant: only the evaluated segment's, derived from its
 * definition (so a stored-membership export and an evaluated one hold the same profiles), and
 * no drawn ones, so that the membership index catches up in minutes.
 */
export const EVALUATED_SEGMENT_ONLY: MembershipDeriver = withDefinedSegments(() => ({}), [EVALUATED_SEGMENT]);

/**
 * The engine's reader of the local stack's profile store, as the bench stage's workers read it
 * (its page size); with the membership index unless `index` is false (then a segment's members
 * are found by reading every profile).
 */
export function benchShardSource(stack: LocalService, index = true) {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
  );
  const source = new DynamoDbProfileShardSource(
    client,
    {
      profiles: stack.resources.profileTable,
      events: stack.resources.eventTable,
      ...(index && { membershipIndex: stack.resources.membershipIndex }),
    },
    STAGES.bench.exportPageSize,
  );
  return { client, source };
}

/** The tenant's occupied shards, from its store layout (as the planner reads them). */
export async function benchShards(
  client: DynamoDBDocumentClient,
  stack: LocalService,
  tenant: Tenant,
): Promise<number[]> {
  return [...((await new DynamoDbStoreLayouts(client, stack.resources.profileTable).occupiedShards(tenant)) ?? [])];
}

export interface EngineRun {
  readonly ms: number;
  readonly records: number;
}

/**
 * The export engine's shard step run in this process over every shard of the tenant (as many
 * shards at once as the workflow runs, the bench stage's page size), writing its records
 * nowhere (serialized, then dropped): what an export of the segment costs without the
 * workflow and S3 around it. `evaluate`: the job evaluates the segment at export (every
 * profile read); otherwise stored membership, read through the membership index when
 * `index` is true, or by reading every profile and filtering when false.
 */
export async function engineExport(
  stack: LocalService,
  tenant: Tenant,
  options: { readonly evaluate: boolean; readonly index: boolean },
): Promise<EngineRun> {
  const { client, source } = benchShardSource(stack, options.index);
  let records = 0;
  const parts: PartStore = {
    open: () => ({
      write: async (record) => {
        JSON.stringify(record);
        records += 1;
      },
      finish: async () => ({ bytes: 0, sha256: '' }),
      abort: async () => undefined,
    }),
    discard: async () => undefined,
  };
  const dependencies = {
    source,
    parts,
    progress: { recordPart: async () => true },
    definitions: new DynamoDbConfigStore(client, stack.resources.configTable).segmentDefinitions,
  };
  const started = Date.now();
  const job: ShardTask['job'] = {
    id: 1,
    imsOrgId: tenant.orgId,
    sandboxName: tenant.sandboxName,
    destination: { datasetId: 'bench', segmentPerBatch: false, batchId: 'bench', format: 'json' },
    filter: { emptyProfiles: false, segments: [{ segmentId: EVALUATED_SEGMENT, status: ['realized'] }] },
    schema: { name: '_xdm.context.profile' },
    ...(options.evaluate && { evaluationInfo: { segmentation: true } }),
    creationTime: started,
  };
  const shards = await benchShards(client, stack, tenant);
  await Promise.all(
    Array.from({ length: STAGES.bench.exportConcurrency }, async () => {
      for (let shard = shards.shift(); shard !== undefined; shard = shards.shift()) {
        let task: ShardTask = { job, shard, sequence: 0, evaluatedAt: started };
        for (let done = false; !done;) ({ done, ...task } = await exportShardStep(dependencies, task, () => false));
      }
    }),
  );
  const ms = Date.now() - started;
  client.destroy();
  return { ms, records };
}

export interface EvaluationResults {
  readonly profiles: number;
  /** Each the fastest of two runs. */
  readonly evaluated: EngineRun;
  readonly storedEveryProfile: EngineRun;
  readonly storedThroughIndex: EngineRun;
  /** Through the API and the workflow (profileExportTime). */
  readonly evaluatedExportMs: number;
  readonly indexedExportMs: number;
}

/** The engine's three runs, each twice (the fastest kept), interleaved so that load hits all alike. */
export async function engineComparison(stack: LocalService, tenant: Tenant) {
  const runs = {
    evaluated: [] as EngineRun[],
    storedEveryProfile: [] as EngineRun[],
    storedThroughIndex: [] as EngineRun[],
  };
  for (let round = 0; round < 2; round++) {
    runs.evaluated.push(await engineExport(stack, tenant, { evaluate: true, index: false }));
    runs.storedEveryProfile.push(await engineExport(stack, tenant, { evaluate: false, index: false }));
    runs.storedThroughIndex.push(await engineExport(stack, tenant, { evaluate: false, index: true }));
  }
  const fastest = (list: EngineRun[]) => list.reduce((best, run) => (run.ms < best.ms ? run : best));
  return {
    evaluated: fastest(runs.evaluated),
    storedEveryProfile: fastest(runs.storedEveryProfile),
    storedThroughIndex: fastest(runs.storedThroughIndex),
  };
}

/** The comparison lines; the line (same reads on both sides) in its exact form. */
export function printEvaluationComparison(results: EvaluationResults): void {
  const { profiles, evaluated, storedEveryProfile, storedThroughIndex } = results;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const sameRecords =
    evaluated.records === storedEveryProfile.records && evaluated.records === storedThroughIndex.records;
  console.log(
    `\nevaluation at export, segment ${EVALUATED_SEGMENT} (${evaluated.records} realized of ${profiles} profiles; ` +
      `same records on every path: ${sameRecords ? 'yes' : 'NO'}), the engine's shard step in-process: ` +
      `evaluated ${seconds(evaluated.ms)}, stored membership reading every profile ${seconds(storedEveryProfile.ms)}, ` +
      `stored membership through the index ${seconds(storedThroughIndex.ms)}; through the API and workflow: ` +
      `evaluated ${seconds(results.evaluatedExportMs)}, stored membership through the index ${seconds(results.indexedExportMs)}`,
  );
  const ratio = evaluated.ms / storedEveryProfile.ms;
  console.log(
    `evaluated / stored-membership export, both reading every profile: ${ratio.toFixed(2)}x (goal <= 2x) ${ratio <= 2 ? 'MET' : 'NOT MET'}`,
  );
  console.log(`evaluated segment export / stored-membership export at ${profiles} profiles: ${ratio.toFixed(2)}x`);
  console.log(
    `evaluated segment export / index-backed stored-membership export (API, the index reads only the ` +
      `${storedThroughIndex.records} members) at ${profiles} profiles: ` +
      `${(results.evaluatedExportMs / results.indexedExportMs).toFixed(2)}x`,
  );
}
