import { datasetStore } from '../adapters/dataset-store';
import { parseListDatasetsQuery } from '../domain/list-datasets-query';
import { listDatasets } from '../domain/use-cases/datasets';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/http-response';
import { authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';

/** GET /dataSets */
export const handler = httpHandler('listDatasets', async (request) => {
  const [tenant, parameters] = validateAll(
    () => authorizedTenant(request),
    () => parseListDatasetsQuery(request.query),
  );
  return json(200, await listDatasets(datasetStore, tenant, parameters, request.clientPath));
});
