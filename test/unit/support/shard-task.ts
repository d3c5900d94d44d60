import type { ShardTask } from '../../../lambda/contract/workflow';

/** A shard task of a small job (tenant org/prod, dataset ds, batch B), its job's fields and the task's own overridden. */
export function shardTaskOf(job: Partial<ShardTask['job']>, task: Partial<Omit<ShardTask, 'job'>> = {}): ShardTask {
  return {
    job: {
      id: 7,
      imsOrgId: 'org',
      sandboxName: 'prod',
      destination: { datasetId: 'ds', segmentPerBatch: false, batchId: 'B' },
      filter: { emptyProfiles: false },
      fields: 'identities.id',
      schema: { name: 's' },
      creationTime: 0,
      ...job,
    },
    shard: 0,
    sequence: 0,
    ...task,
  };
}
