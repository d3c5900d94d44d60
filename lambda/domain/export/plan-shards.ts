import { PROFILE_STORE } from '../../contract/profile-store';
import type { Tenant } from '../../contract/tenant';
import type { ProfileShardSource } from './ports';

/**
 * The shards worth a worker: the hash buckets of the tenant that hold profiles. One key-only
 * read per bucket saves an invocation (and a child execution of the Distributed Map) for each
 * empty one, which for a small tenant is most of them.
 */
export async function planShards(source: Pick<ProfileShardSource, 'hasProfiles'>, tenant: Tenant): Promise<number[]> {
  const buckets = Array.from({ length: PROFILE_STORE.buckets }, (_, bucket) => bucket);
  const occupied = await Promise.all(buckets.map((bucket) => source.hasProfiles(tenant, bucket)));
  return buckets.filter((bucket) => occupied[bucket]);
}
