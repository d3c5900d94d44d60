import type { Dataset, DatasetPage } from '../../contract/dataset';
import type { Tenant } from '../../contract/tenant';
import type { CreateDatasetCommand } from '../create-dataset-command';
import { DatasetNotFoundError } from '../errors';
import type { ListDatasetsParameters } from '../list-datasets-query';
import type { Clock, DatasetRepository } from '../ports';

export interface CreateDatasetDependencies {
  readonly repository: DatasetRepository;
  readonly clock: Clock;
  readonly newDatasetId: (nowMs: number) => string;
}

/** POST /dataSets: the new dataset's path, as the reference catalog answers (`@/dataSets/<id>`). */
export async function createDataset(
  dependencies: CreateDatasetDependencies,
  tenant: Tenant,
  command: CreateDatasetCommand,
): Promise<string[]> {
  const now = dependencies.clock.now();
  const id = dependencies.newDatasetId(now);
  const dataset: Dataset = {
    name: command.name,
    ...(command.description !== undefined && { description: command.description }),
    schemaRef: command.schemaRef,
    fileDescription: command.fileDescription,
    ...(command.aspect !== undefined && { aspect: command.aspect }),
    imsOrg: tenant.orgId,
    sandboxName: tenant.sandboxName,
    created: now,
    updated: now,
  };
  await dependencies.repository.insert(tenant, { id, dataset });
  return [`@/dataSets/${id}`];
}

/** GET /dataSets/{id}: the dataset keyed by its id; another tenant's is not found. */
export async function getDataset(
  repository: Pick<DatasetRepository, 'get'>,
  tenant: Tenant,
  id: string,
): Promise<Record<string, Dataset>> {
  const dataset = await repository.get(tenant, id);
  if (!dataset) throw new DatasetNotFoundError(id);
  return { [id]: dataset };
}

/**
 * GET /dataSets: a page newest first, keyed by id, and `_page.next`, the path this page was
 * requested at (`listPath`, as the client sent it) with the next page's query.
 */
export async function listDatasets(
  repository: Pick<DatasetRepository, 'listPage'>,
  tenant: Tenant,
  parameters: ListDatasetsParameters,
  listPath: string,
): Promise<Record<string, Dataset | DatasetPage>> {
  const page = await repository.listPage(tenant, parameters);
  const last = page.datasets[page.datasets.length - 1];
  const next =
    page.hasMore && last
      ? `${listPath}?${new URLSearchParams({ limit: String(parameters.limit), start: last.id })}`
      : '';
  const _page: DatasetPage = { limit: parameters.limit, count: page.datasets.length, next };
  return { ...Object.fromEntries(page.datasets.map(({ id, dataset }) => [id, dataset])), _page };
}
