import { JobRecordSchema } from '../../lambda/contract/job-record';
import { orderBySchema } from '../../lambda/domain/order-by-schema';

describe('orderBySchema', () => {
  it('puts the keys of nested objects in schema order and keeps unknown keys last', () => {
    // GIVEN a job as DynamoDB returns it, keys shuffled
    const stored = {
      status: 'NEW',
      destination: { batchId: 'b', segmentPerBatch: false, datasetId: 'd' },
      id: 7,
      metrics: { exportedProfileByNamespaceCounter: { email: 1 }, totalTime: { startTimeInMs: 1 } },
    };
    // WHEN ordered by the job record schema
    const ordered = orderBySchema(JobRecordSchema, stored);
    // THEN keys follow the schema, values are unchanged
    expect(Object.keys(ordered)).toEqual(['id', 'destination', 'status', 'metrics']);
    expect(Object.keys(ordered.destination)).toEqual(['datasetId', 'segmentPerBatch', 'batchId']);
    expect(ordered).toEqual(stored);
  });
});
