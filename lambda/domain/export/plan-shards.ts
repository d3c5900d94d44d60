import type { Tenant } from '../../contract/tenant';
import type { ProfileShardSource, StoreLayouts } from './ports';

/**
 * The shards worth a worker: the hash buckets of the tenant that hold profiles, as its store
 * layout lists them (one read, however many shards the tenant has). Skipping the empty ones
 * saves an invocation (and a child execution of the Distributed Map) for each, which for a
 * small tenant is most of them. A tenant without a layout (its profiles written before layouts
 * existed, or by a writer that keeps none) is read with `shardsWithoutLayout` buckets (the
 * construct's `profileStoreShards`), each probed with one key-only read.
 */
export async function planShards(
  layouts: StoreLayouts,
  source: Pick<ProfileShardSource, 'hasProfiles'>,
  tenant: Tenant,
  shardsWithoutLayout: number,
): Promise<number[]> {
  const occupied = await layouts.occupiedShards(tenant);
  if (occupied) return [...occupied];
  const buckets = Array.from({ length: shardsWithoutLayout }, (_, bucket) => bucket);
  const probed = await Promise.all(buckets.map((bucket) => source.hasProfiles(tenant, bucket)));
  return buckets.filter((bucket) => probed[bucket]);
}
