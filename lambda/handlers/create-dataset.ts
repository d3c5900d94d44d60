import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { datasetStore } from '../adapters/dataset-store';
import { systemClock } from '../adapters/job-store';
import { parseCreateDatasetBody } from '../domain/create-dataset-command';
import { newDatasetId } from '../domain/dataset-id';
import { createDataset } from '../domain/use-cases/datasets';
import { requireJsonContentType } from '../http/content-type';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/http-response';
import { authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';
import { logger, metrics } from '../observability/powertools';

const dependencies = { repository: datasetStore, clock: systemClock, newDatasetId };

/** POST /dataSets */
export const handler = httpHandler('createDataset', async (request) => {
  requireJsonContentType(request);
  const [tenant, command] = validateAll(
    () => authorizedTenant(request),
    () => parseCreateDatasetBody(request.body),
  );
  const created = await createDataset(dependencies, tenant, command);
  metrics.addMetric('DatasetsCreated', MetricUnit.Count, 1);
  logger.info('Dataset created', { dataset: created[0] });
  return json(201, created);
});
