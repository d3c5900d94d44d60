import { randomUUID } from 'node:crypto';
import { datasetStore } from '../adapters/dataset-store';
import { idempotent } from '../adapters/idempotency';
import { jobStore, systemClock } from '../adapters/job-store';
import { StepFunctionsExportWorkflow } from '../adapters/step-functions-workflow';
import { builtInMergePolicyReference, configStore } from '../adapters/config-store';
import { resolveJobMergePolicy, type MergePolicyDependencies } from '../domain/config/merge-policies';
import { parseCreateJobBody } from '../domain/create-job-command';
import { tenantKey } from '../contract/tenant';
import {
  createJob,
  replayedJob,
  type CreateJobDependencies,
  type CreateJobInput,
} from '../domain/use-cases/create-job';
import { requireJsonContentType } from '../http/content-type';
import { httpHandler } from '../http/http-handler';
import { idempotencyKeyFrom } from '../http/idempotency-key';
import { json } from '../http/http-response';
import { logger, metrics } from '../observability/powertools';
import { profileInstanceIdFrom, authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

const mergePolicies: MergePolicyDependencies = {
  policies: configStore,
  clock: systemClock,
  newId: () => randomUUID(),
  builtIn: builtInMergePolicyReference,
};

const dependencies: CreateJobDependencies = {
  repository: jobStore,
  datasets: datasetStore,
  clock: systemClock,
  newBatchId: () => randomUUID().replace(/-/g, ''),
  workflow: new StepFunctionsExportWorkflow(),
  resolveMergePolicy: (tenant, schemaName, requested) =>
    resolveJobMergePolicy(mergePolicies, tenant, schemaName, requested),
  segmentDefinitions: configStore.segmentDefinitions,
};

type IdempotentCreate = CreateJobInput & { scope: string; payload: unknown };

const createJobOnce = idempotent((input: IdempotentCreate) => createJob(dependencies, input));

/** POST /export/jobs */
export const handler = httpHandler('createJob', async (request, context) => {
  requireJsonContentType(request);
  const [tenant, profileInstanceId, idempotencyKey, command] = validateAll(
    () => authorizedTenant(request),
    () => profileInstanceIdFrom(request),
    () => idempotencyKeyFrom(request),
    () => parseCreateJobBody(request.body),
  );
  const input: CreateJobInput = { tenant, profileInstanceId, requestId: request.requestId, command };
  const job = idempotencyKey
    ? await createJobOnce(
        { ...input, scope: `${tenantKey(tenant)}#${idempotencyKey}`, payload: { command, profileInstanceId } },
        context,
      )
    : await createJob(dependencies, input);
  // Another request's job: this one is a replay of the key (its job may have been deleted since).
  if (job.requestId !== request.requestId) return json(200, await replayedJob(jobStore, tenant, job));
  metrics.addMetric('JobsCreated', MetricUnit.Count, 1);
  logger.info('Job created', { jobId: job.id });
  return json(200, job);
});
