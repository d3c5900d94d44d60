import type { MergePolicy } from '../../contract/merge-policy';
import type { SegmentDefinition } from '../../contract/segment-definition';
import type { Tenant } from '../../contract/tenant';

export interface ConfigPage<T> {
  readonly items: T[];
  /** The id to start the next page after; absent on the last page. */
  readonly next?: string;
}

export interface ConfigPageQuery {
  readonly limit: number;
  /** Start strictly after this id. */
  readonly after?: string;
}

/** Why a conditional write of a merge policy was refused. */
export type MergePolicyWriteOutcome = 'written' | 'default-taken' | 'changed';

/**
 * Where a tenant's merge policies are kept. Writes are conditional: a policy made default only
 * where its schema has no default yet; an update or delete only of the version it was read at.
 */
export interface MergePolicyRepository {
  list(tenant: Tenant, query: ConfigPageQuery): Promise<ConfigPage<MergePolicy>>;
  get(tenant: Tenant, id: string): Promise<MergePolicy | undefined>;
  /** The id of the tenant's default policy for `schemaName`, if it has one. */
  defaultId(tenant: Tenant, schemaName: string): Promise<string | undefined>;
  /** Stores a new policy (and its default marker when it is the default). */
  create(tenant: Tenant, policy: MergePolicy): Promise<MergePolicyWriteOutcome>;
  /** Replaces `current` (as read) by `next`, moving the default marker when `default` changes. */
  replace(tenant: Tenant, current: MergePolicy, next: MergePolicy): Promise<MergePolicyWriteOutcome>;
  /** Deletes `current` (as read) and its default marker. */
  remove(tenant: Tenant, current: MergePolicy): Promise<MergePolicyWriteOutcome>;
}

/** Where a tenant's segment definitions are kept; updates and deletes are of the state read. */
export interface SegmentDefinitionRepository {
  list(tenant: Tenant, query: ConfigPageQuery): Promise<ConfigPage<SegmentDefinition>>;
  get(tenant: Tenant, id: string): Promise<SegmentDefinition | undefined>;
  create(tenant: Tenant, definition: SegmentDefinition): Promise<void>;
  /** False when the definition changed (or went) since `current` was read. */
  replace(tenant: Tenant, current: SegmentDefinition, next: SegmentDefinition): Promise<boolean>;
  remove(tenant: Tenant, current: SegmentDefinition): Promise<boolean>;
}
