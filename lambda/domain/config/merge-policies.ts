import type {
  AttributeMergeSpec,
  CreateMergePolicyRequest,
  MergePolicy,
  UpdateMergePolicyRequest,
} from '../../contract/merge-policy';
import type { Tenant } from '../../contract/tenant';
import { ConflictError, ResourceNotFoundError, UnprocessableRequestError } from '../errors';
import type { Clock } from '../ports';
import { builtInMergePolicy, type BuiltInMergePolicyReference } from './built-in-merge-policy';
import type { ConfigPage, ConfigPageQuery, MergePolicyRepository, MergePolicyWriteOutcome } from './ports';

export interface MergePolicyDependencies {
  readonly policies: MergePolicyRepository;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly builtIn: BuiltInMergePolicyReference;
}

const WHAT = 'merge policy';

/** The built-in policy as this tenant sees it: default while the tenant has no default of its own. */
async function builtInFor(dependencies: MergePolicyDependencies, tenant: Tenant): Promise<MergePolicy> {
  const probe = builtInMergePolicy(dependencies.builtIn, false);
  const ownDefault = await dependencies.policies.defaultId(tenant, probe.schema.name);
  return builtInMergePolicy(dependencies.builtIn, ownDefault === undefined);
}

/** A policy of the tenant, the built-in one included; undefined when it has none of that id. */
export async function findMergePolicy(
  dependencies: MergePolicyDependencies,
  tenant: Tenant,
  id: string,
): Promise<MergePolicy | undefined> {
  if (id === dependencies.builtIn.id) return builtInFor(dependencies, tenant);
  return dependencies.policies.get(tenant, id);
}

export async function getMergePolicy(dependencies: MergePolicyDependencies, tenant: Tenant, id: string) {
  const policy = await findMergePolicy(dependencies, tenant, id);
  if (!policy) throw new ResourceNotFoundError(WHAT, id);
  return policy;
}

/**
 * A page of the tenant's policies; the first page starts with the built-in one. A page that
 * ends with the built-in one (limit 1) hands its id on as the cursor, which means "the stored
 * policies from the first" (a stored policy never has the built-in id: theirs are UUIDs).
 */
export async function listMergePolicies(
  dependencies: MergePolicyDependencies,
  tenant: Tenant,
  query: ConfigPageQuery,
): Promise<ConfigPage<MergePolicy>> {
  if (query.after === dependencies.builtIn.id) return dependencies.policies.list(tenant, { limit: query.limit });
  if (query.after !== undefined) return dependencies.policies.list(tenant, query);
  const builtIn = await builtInFor(dependencies, tenant);
  if (query.limit === 1) return { items: [builtIn], next: builtIn.id };
  const page = await dependencies.policies.list(tenant, { limit: query.limit - 1 });
  return { ...page, items: [builtIn, ...page.items] };
}

export async function createMergePolicy(
  dependencies: MergePolicyDependencies,
  tenant: Tenant,
  request: CreateMergePolicyRequest,
): Promise<MergePolicy> {
  const policy: MergePolicy = {
    id: dependencies.newId(),
    name: request.name,
    schema: request.schema,
    version: 1,
    identityGraph: request.identityGraph ?? { type: 'none' },
    attributeMerge: request.attributeMerge,
    default: request.default ?? false,
    updateEpoch: epochSeconds(dependencies.clock),
  };
  await refuseUnlessWritten(dependencies, tenant, policy, await dependencies.policies.create(tenant, policy));
  return policy;
}

export async function updateMergePolicy(
  dependencies: MergePolicyDependencies,
  tenant: Tenant,
  id: string,
  request: UpdateMergePolicyRequest,
): Promise<MergePolicy> {
  const current = await writablePolicy(dependencies, tenant, id);
  const next: MergePolicy = {
    ...current,
    ...request,
    version: current.version + 1,
    updateEpoch: epochSeconds(dependencies.clock),
  };
  await refuseUnlessWritten(dependencies, tenant, next, await dependencies.policies.replace(tenant, current, next));
  return next;
}

export async function deleteMergePolicy(dependencies: MergePolicyDependencies, tenant: Tenant, id: string) {
  const current = await writablePolicy(dependencies, tenant, id);
  await refuseUnlessWritten(dependencies, tenant, current, await dependencies.policies.remove(tenant, current));
}

async function writablePolicy(dependencies: MergePolicyDependencies, tenant: Tenant, id: string) {
  if (id === dependencies.builtIn.id) {
    throw new ConflictError(`The built-in merge policy ${id} cannot be changed or deleted.`, [
      { path: '/id', code: 'read_only', message: 'is the built-in policy; create a policy of your own instead' },
    ]);
  }
  const current = await dependencies.policies.get(tenant, id);
  if (!current) throw new ResourceNotFoundError(WHAT, id);
  return current;
}

async function refuseUnlessWritten(
  dependencies: MergePolicyDependencies,
  tenant: Tenant,
  policy: MergePolicy,
  outcome: MergePolicyWriteOutcome,
): Promise<void> {
  if (outcome === 'default-taken') {
    const other = await dependencies.policies.defaultId(tenant, policy.schema.name);
    throw new ConflictError(
      `Merge policy ${other} is already the default for schema ${policy.schema.name}; make it non-default first.`,
      [{ path: '/default', code: 'default_taken', message: `${other} is the default for ${policy.schema.name}` }],
    );
  }
  if (outcome === 'changed') {
    throw new ConflictError(`Merge policy ${policy.id} was changed by another request; read it and retry.`, [
      { path: '/version', code: 'changed', message: 'the policy changed since it was read' },
    ]);
  }
}

/** The policy a new job records, and the rule of that version, which its export applies. */
export interface ResolvedMergePolicy {
  readonly id: string;
  readonly version: number;
  readonly attributeMerge: AttributeMergeSpec;
}

/**
 * The policy a new job records: the one it names (checked), or the tenant's default; with the
 * `attributeMerge` of the version resolved, so the export merges by exactly that version.
 */
export async function resolveJobMergePolicy(
  dependencies: MergePolicyDependencies,
  tenant: Tenant,
  schemaName: string,
  requested: { readonly id: string; readonly version?: number } | undefined,
): Promise<ResolvedMergePolicy> {
  if (!requested) {
    const ownDefault = await dependencies.policies.defaultId(tenant, schemaName);
    // The marker may outlive its policy by a deleted moment: the built-in one takes over.
    const policy = ownDefault ? await dependencies.policies.get(tenant, ownDefault) : undefined;
    const chosen = policy ?? builtInMergePolicy(dependencies.builtIn, true);
    return { id: chosen.id, version: chosen.version, attributeMerge: chosen.attributeMerge };
  }
  const policy = await findMergePolicy(dependencies, tenant, requested.id);
  if (!policy) {
    throw new UnprocessableRequestError(`No merge policy ${requested.id} exists in this organization and sandbox.`, [
      { path: '/mergePolicy/id', code: 'not_found', message: `no merge policy ${requested.id} in this tenant` },
    ]);
  }
  if (policy.schema.name !== schemaName) {
    throw new UnprocessableRequestError(`Merge policy ${policy.id} merges schema ${policy.schema.name}.`, [
      { path: '/mergePolicy/id', code: 'schema_mismatch', message: `merges ${policy.schema.name}, not ${schemaName}` },
    ]);
  }
  if (requested.version !== undefined && requested.version !== policy.version) {
    throw new UnprocessableRequestError(
      `Merge policy ${policy.id} is at version ${policy.version}, not ${requested.version}.`,
      [{ path: '/mergePolicy/version', code: 'not_current', message: `the current version is ${policy.version}` }],
    );
  }
  return { id: policy.id, version: policy.version, attributeMerge: policy.attributeMerge };
}

function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
