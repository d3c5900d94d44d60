import { datasetStore } from '../adapters/dataset-store';
import { parseDatasetId } from '../domain/dataset-id';
import { getDataset } from '../domain/use-cases/datasets';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/http-response';
import { authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';

/** GET /dataSets/{id} */
export const handler = httpHandler('getDataset', async (request) => {
  const [tenant, id] = validateAll(
    () => authorizedTenant(request),
    () => parseDatasetId(request.pathParameters.id),
  );
  return json(200, await getDataset(datasetStore, tenant, id));
});
