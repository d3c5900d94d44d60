import { parseProfilePartitionKey } from '../../contract/profile-store';

/**
 * The buckets that profile items newly written (inserted, not updated) into the profile table
 * occupy, by tenant key: what the store layouts' `occupiedShards` must gain. Other items (store
 * layouts themselves) are left out. Updates are left out too: an updated profile's bucket was
 * occupied when the profile was inserted.
 */
export function newlyOccupiedShards(insertedKeys: readonly { readonly pk: string }[]): Map<string, number[]> {
  const byTenant = new Map<string, Set<number>>();
  for (const { pk } of insertedKeys) {
    const profileKey = parseProfilePartitionKey(pk);
    if (!profileKey) continue;
    let buckets = byTenant.get(profileKey.tenantKeyText);
    if (!buckets) byTenant.set(profileKey.tenantKeyText, (buckets = new Set()));
    buckets.add(profileKey.bucket);
  }
  return new Map([...byTenant].map(([tenant, buckets]) => [tenant, [...buckets].sort((a, b) => a - b)]));
}
