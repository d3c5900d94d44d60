import type { MergePolicy } from '../../contract/merge-policy';
import { XDM_PROFILE_UNION } from '../../contract/xdm-schemas';

/** The reference of the policy every tenant has without creating one (the construct's `defaultMergePolicy`). */
export interface BuiltInMergePolicyReference {
  readonly id: string;
  readonly version?: number;
}

/**
 * The built-in policy: `timestampOrdered`, no identity graph, on the profile union schema.
 * Every tenant has it; it is the tenant's default while the tenant has no default of its own.
 * It cannot be changed or deleted.
 */
export function builtInMergePolicy(reference: BuiltInMergePolicyReference, isDefault: boolean): MergePolicy {
  return {
    id: reference.id,
    name: 'Built-in: timestamp ordered',
    schema: { name: XDM_PROFILE_UNION.exportName },
    version: reference.version ?? 1,
    identityGraph: { type: 'none' },
    attributeMerge: { type: 'timestampOrdered' },
    default: isDefault,
    updateEpoch: 0,
  };
}
