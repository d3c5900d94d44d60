import { readBatchDependencies } from '../adapters/read-batch-dependencies';
import { parseBatchId } from '../domain/read-batch/data-set-file-id';
import { listBatchFiles } from '../domain/read-batch/read-batch';
import { apiRoot } from '../http/api-root';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/http-response';
import { authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';

const dependencies = readBatchDependencies();

/** GET /export/batches/{batchId}/files */
export const handler = httpHandler('listBatchFiles', async (request) => {
  const [tenant, batchId] = validateAll(
    () => authorizedTenant(request),
    () => parseBatchId(request.pathParameters.batchId),
  );
  return json(200, await listBatchFiles(dependencies, tenant, batchId, apiRoot(request, '/export/batches/')));
});
