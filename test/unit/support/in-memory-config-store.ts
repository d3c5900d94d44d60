import type { MergePolicy } from '../../../lambda/contract/merge-policy';
import type { SegmentDefinition } from '../../../lambda/contract/segment-definition';
import { tenantKey, type Tenant } from '../../../lambda/contract/tenant';
import type {
  ConfigPage,
  ConfigPageQuery,
  MergePolicyRepository,
  MergePolicyWriteOutcome,
  SegmentDefinitionRepository,
} from '../../../lambda/domain/config/ports';

/** Items of one kind per tenant, in id order, as the config table's sort key orders them. */
class TenantItems<T extends { id: string }> {
  private readonly items = new Map<string, Map<string, T>>();

  of(tenant: Tenant): Map<string, T> {
    const key = tenantKey(tenant);
    if (!this.items.has(key)) this.items.set(key, new Map());
    return this.items.get(key)!;
  }

  page(tenant: Tenant, query: ConfigPageQuery): ConfigPage<T> {
    const sorted = [...this.of(tenant).values()]
      .filter((item) => query.after === undefined || item.id > query.after)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const items = sorted.slice(0, query.limit);
    return { items, ...(sorted.length > query.limit && { next: items[items.length - 1].id }) };
  }
}

/**
 * The config store's rules in memory, for unit tests of the use cases: writes are refused
 * exactly where the DynamoDB adapter's conditions refuse them.
 */
export class InMemoryMergePolicies implements MergePolicyRepository {
  private readonly policies = new TenantItems<MergePolicy>();
  private readonly defaults = new Map<string, string>();

  async list(tenant: Tenant, query: ConfigPageQuery) {
    return this.policies.page(tenant, query);
  }

  async get(tenant: Tenant, id: string) {
    return this.policies.of(tenant).get(id);
  }

  async defaultId(tenant: Tenant, schemaName: string) {
    return this.defaults.get(`${tenantKey(tenant)}|${schemaName}`);
  }

  async create(tenant: Tenant, policy: MergePolicy): Promise<MergePolicyWriteOutcome> {
    if (this.policies.of(tenant).has(policy.id)) return 'changed';
    if (policy.default && !(await this.claimable(tenant, policy))) return 'default-taken';
    this.policies.of(tenant).set(policy.id, policy);
    if (policy.default) this.defaults.set(`${tenantKey(tenant)}|${policy.schema.name}`, policy.id);
    return 'written';
  }

  async replace(tenant: Tenant, current: MergePolicy, next: MergePolicy): Promise<MergePolicyWriteOutcome> {
    if (this.policies.of(tenant).get(current.id)?.version !== current.version) return 'changed';
    if (next.default && !current.default && !(await this.claimable(tenant, next))) return 'default-taken';
    this.policies.of(tenant).set(next.id, next);
    const marker = `${tenantKey(tenant)}|${next.schema.name}`;
    if (next.default) this.defaults.set(marker, next.id);
    else if (current.default) this.defaults.delete(marker);
    return 'written';
  }

  async remove(tenant: Tenant, current: MergePolicy): Promise<MergePolicyWriteOutcome> {
    if (this.policies.of(tenant).get(current.id)?.version !== current.version) return 'changed';
    this.policies.of(tenant).delete(current.id);
    if (current.default) this.defaults.delete(`${tenantKey(tenant)}|${current.schema.name}`);
    return 'written';
  }

  private async claimable(tenant: Tenant, policy: MergePolicy): Promise<boolean> {
    const holder = await this.defaultId(tenant, policy.schema.name);
    return holder === undefined || holder === policy.id;
  }
}

export class InMemorySegmentDefinitions implements SegmentDefinitionRepository {
  private readonly definitions = new TenantItems<SegmentDefinition>();

  async list(tenant: Tenant, query: ConfigPageQuery) {
    return this.definitions.page(tenant, query);
  }

  async get(tenant: Tenant, id: string) {
    return this.definitions.of(tenant).get(id);
  }

  async create(tenant: Tenant, definition: SegmentDefinition) {
    this.definitions.of(tenant).set(definition.id, definition);
  }

  async replace(tenant: Tenant, current: SegmentDefinition, next: SegmentDefinition) {
    if (this.definitions.of(tenant).get(current.id)?.updateTime !== current.updateTime) return false;
    this.definitions.of(tenant).set(next.id, next);
    return true;
  }

  async remove(tenant: Tenant, current: SegmentDefinition) {
    if (this.definitions.of(tenant).get(current.id)?.updateTime !== current.updateTime) return false;
    return this.definitions.of(tenant).delete(current.id);
  }
}
