import type { Dataset } from '../../../lambda/contract/dataset';
import type { FileFormat } from '../../../lambda/contract/file-format';
import { tenantKey, type Tenant } from '../../../lambda/contract/tenant';
import { XDM_PROFILE_UNION } from '../../../lambda/contract/xdm-schemas';
import type { DatasetRepository, StoredDataset } from '../../../lambda/domain/ports';

/** A dataset of the profile union schema in `tenant`, as POST /dataSets stores it. */
export function profileDataset(tenant: Tenant, format: FileFormat = 'parquet', created = 1_700_000_000_000): Dataset {
  return {
    name: 'Profile export',
    schemaRef: { id: XDM_PROFILE_UNION.id },
    fileDescription: { format },
    imsOrg: tenant.orgId,
    sandboxName: tenant.sandboxName,
    created,
    updated: created,
  };
}

/** The dataset table's behaviour in memory: per tenant, ids in descending order for pages. */
export class InMemoryDatasetRepository implements DatasetRepository {
  readonly items = new Map<string, Map<string, Dataset>>();

  async insert(tenant: Tenant, { id, dataset }: StoredDataset): Promise<void> {
    const datasets = this.items.get(tenantKey(tenant)) ?? new Map<string, Dataset>();
    if (datasets.has(id)) throw new Error(`dataset ${id} exists`);
    datasets.set(id, dataset);
    this.items.set(tenantKey(tenant), datasets);
  }

  async get(tenant: Tenant, id: string): Promise<Dataset | undefined> {
    return this.items.get(tenantKey(tenant))?.get(id);
  }

  async listPage(
    tenant: Tenant,
    query: { readonly limit: number; readonly start?: string },
  ): Promise<{ datasets: StoredDataset[]; hasMore: boolean }> {
    const all = [...(this.items.get(tenantKey(tenant)) ?? new Map<string, Dataset>())]
      .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
      .filter(([id]) => query.start === undefined || id < query.start)
      .map(([id, dataset]) => ({ id, dataset }));
    return { datasets: all.slice(0, query.limit), hasMore: all.length > query.limit };
  }
}
