import type { JobRecord } from '../../../lambda/contract/job-record';
import type { JobStatus } from '../../../lambda/contract/job-lifecycle';
import { batchPartitionPrefix } from '../../../lambda/contract/query-catalog';
import { discardPartialOutput } from '../../../lambda/domain/export/discard-partial-output';

function endedJob(status: JobStatus, destination: JobRecord['destination']): JobRecord {
  return { status, imsOrgId: 'org@AdobeOrg', sandboxName: 'prod', destination } as JobRecord;
}

function folders() {
  const deleted: string[] = [];
  return { deleted, deleteAll: async (prefix: string) => deleted.push(prefix) };
}

describe('discarding the partial output of a job that ended', () => {
  it.each(['FAILED', 'CANCELLED'] as const)(
    'GIVEN a job that ended %s WHEN its end is processed THEN every batch folder of the job is emptied, and so is each batch’s partition folder (its symlink file)',
    async (status) => {
      const store = folders();
      const job = endedJob(status, {
        datasetId: 'ds',
        segmentPerBatch: true,
        batches: [
          { segmentId: 's1', segmentNs: 'ups', status: ['realized'], batchId: 'B1' },
          { segmentId: 's2', segmentNs: 'ups', status: ['realized'], batchId: 'B2' },
        ],
      });
      const result = await discardPartialOutput(store, job);
      expect(store.deleted).toEqual([
        'org%40AdobeOrg/prod/datasets/ds/batches/B1/',
        batchPartitionPrefix({ orgId: 'org@AdobeOrg', sandboxName: 'prod' }, 'ds', 'B1'),
        'org%40AdobeOrg/prod/datasets/ds/batches/B2/',
        batchPartitionPrefix({ orgId: 'org@AdobeOrg', sandboxName: 'prod' }, 'ds', 'B2'),
      ]);
      expect(store.deleted[1]).toBe('org%40AdobeOrg/prod/datasets/ds/_symlinks/batchid=B1/');
      expect(result).toEqual({ discarded: true, objects: 10 });
    },
  );

  it('GIVEN a job that SUCCEEDED WHEN its end is processed THEN its batch stays', async () => {
    const store = folders();
    const result = await discardPartialOutput(
      store,
      endedJob('SUCCEEDED', { datasetId: 'ds', segmentPerBatch: false, batchId: 'B' }),
    );
    expect(store.deleted).toEqual([]);
    expect(result.discarded).toBe(false);
  });
});
