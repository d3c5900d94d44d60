import type { ExportExecutionInput, ExportPlanOutput } from '../../../lambda/contract/workflow';
import { finalizeExport } from '../../../lambda/domain/export/finalize-export';
import type { FinalizationClaim } from '../../../lambda/domain/export/workflow-ports';

const DATASET = 'aa00bb11cc22dd33ee44ff55';

function finalizeWith(claim: FinalizationClaim, datasetId = DATASET) {
  const events: string[] = [];
  const part = (batchId: string, fileName: string) => ({
    batchId,
    key: fileName,
    fileName,
    records: 2,
    bytes: 10,
    sha256: 'x',
    namespaces: {},
  });
  const input = {
    job: {
      id: 3,
      imsOrgId: 'org@AdobeOrg',
      sandboxName: 'prod',
      destination: {
        datasetId,
        segmentPerBatch: true,
        format: 'json',
        batches: [
          { segmentId: 's1', status: ['realized'], batchId: 'b1' },
          { segmentId: 's2', status: ['realized'], batchId: 'b2' },
        ],
      },
      schema: { name: '_xdm.context.profile' },
      creationTime: 0,
    },
    plan: { shards: [0], startedAt: 0 },
  } as unknown as ExportExecutionInput & { plan: ExportPlanOutput };
  const run = finalizeExport(
    {
      store: {
        claimFinalization: async () => claim,
        listParts: async () => [part('b2', 'part-0001-000000.json.gz'), part('b1', 'part-0000-000000.json.gz')],
        complete: async () => {
          events.push('SUCCEEDED');
          return true;
        },
        endCancelled: async () => {
          events.push('CANCELLED');
          return true;
        },
      } as never,
      manifests: { write: async (key: string) => void events.push(`manifest ${key.split('/').at(-2)}`) },
      catalog: {
        register: async (batch) =>
          void events.push(`partition ${batch.batchId} [${batch.partKeys.map((key) => key.split('/').at(-1))}]`),
        skip: (batch) => void events.push(`skip ${batch.batchId}: ${batch.reason}`),
      },
      clock: { now: () => 1 },
    },
    input,
  );
  return { run, events };
}

describe('the finalizer makes complete batches queryable', () => {
  it('GIVEN a job with two batches WHEN it is finalized THEN each batch becomes a partition right after its manifest is written, with the parts its manifest lists, and only then the job SUCCEEDS', async () => {
    const { run, events } = finalizeWith('claimed');
    await expect(run).resolves.toBe('SUCCEEDED');
    expect(events).toEqual([
      'manifest b1',
      'partition b1 [part-0000-000000.json.gz]',
      'manifest b2',
      'partition b2 [part-0001-000000.json.gz]',
      'SUCCEEDED',
    ]);
  });

  it('GIVEN a job cancelled before the finalizer WHEN it is finalized THEN no manifest is written and no batch becomes a partition', async () => {
    const { run, events } = finalizeWith('cancel-requested');
    await expect(run).resolves.toBe('CANCELLED');
    expect(events).toEqual(['CANCELLED']);
  });

  it('GIVEN a job whose dataset id cannot name a table WHEN it is finalized THEN its batches are complete and the catalog is told why they get no partition', async () => {
    const { run, events } = finalizeWith('claimed', 'Legacy Dataset');
    await run;
    expect(events.filter((event) => event.startsWith('skip'))).toHaveLength(2);
    expect(events.at(-1)).toBe('SUCCEEDED');
  });
});
