import { profileBucket, profilePartitionKey, storeLayoutKey } from '../../../lambda/contract/profile-store';
import { newlyOccupiedShards } from '../../../lambda/domain/store-layout/occupied-shards';

describe('the occupied shards of store layouts, from inserted profile items', () => {
  it('GIVEN inserts of several tenants and buckets WHEN collected THEN each tenant gets its distinct buckets, ascending', () => {
    const occupied = newlyOccupiedShards([
      { pk: profilePartitionKey('org-a|prod', 9) },
      { pk: profilePartitionKey('org-a|prod', 2) },
      { pk: profilePartitionKey('org-a|prod', 9) },
      { pk: profilePartitionKey('org-b|dev', 1023) },
    ]);
    expect(Object.fromEntries(occupied)).toEqual({ 'org-a|prod': [2, 9], 'org-b|dev': [1023] });
  });

  it('GIVEN the insert of a store layout item itself WHEN collected THEN it occupies nothing (the stream of its own writes ends there)', () => {
    expect(newlyOccupiedShards([{ pk: storeLayoutKey('org-a|prod').pk }]).size).toBe(0);
  });

  it('GIVEN tenant keys that contain "#" WHEN collected THEN the bucket is the last segment and the tenant key the rest', () => {
    expect(Object.fromEntries(newlyOccupiedShards([{ pk: 'org#x|prod#5' }]))).toEqual({ 'org#x|prod': [5] });
  });
});

describe('profile buckets', () => {
  it('GIVEN a shard count WHEN profiles are bucketed THEN every bucket is below it and the same id always lands in the same bucket', () => {
    const ids = Array.from({ length: 5000 }, (_, index) => `p1-${String(index).padStart(7, '0')}`);
    for (const shards of [1, 32, 64, 1024]) {
      const buckets = ids.map((id) => profileBucket(id, shards));
      expect(Math.max(...buckets)).toBeLessThan(shards);
      expect(ids.map((id) => profileBucket(id, shards))).toEqual(buckets);
    }
    // Spread: with 64 shards, 5,000 ids leave no bucket empty.
    expect(new Set(ids.map((id) => profileBucket(id, 64))).size).toBe(64);
  });
});
