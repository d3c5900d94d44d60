import { readBatchDependencies } from '../adapters/read-batch-dependencies';
import { decodeDataSetFileId } from '../domain/read-batch/data-set-file-id';
import { parseFileQuery } from '../domain/read-batch/file-query';
import { describeDataSetFile, downloadUrl } from '../domain/read-batch/read-batch';
import { apiRoot } from '../http/api-root';
import { httpHandler } from '../http/http-handler';
import { json, redirect } from '../http/http-response';
import { authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';

const dependencies = readBatchDependencies();

/** GET /export/files/{dataSetFileId}, and with ?path=<name> a 307 to the file's presigned URL. */
export const handler = httpHandler('getDataSetFile', async (request) => {
  const [tenant, file, query] = validateAll(
    () => authorizedTenant(request),
    () => decodeDataSetFileId(request.pathParameters.dataSetFileId),
    () => parseFileQuery(request.query),
  );
  if (query.path !== undefined) return redirect(await downloadUrl(dependencies, tenant, file, query.path));
  return json(200, await describeDataSetFile(dependencies, tenant, file, apiRoot(request, '/export/files/')));
});
