import { randomUUID } from 'node:crypto';
import { IDEMPOTENCY_KEY_PATTERN, HEADERS } from '../contract/headers';
import { idempotent } from '../adapters/idempotency';
import { jobRepository, systemClock } from '../adapters/job-repository';
import { StepFunctionsExportWorkflow } from '../adapters/step-functions-workflow';
import { ENVIRONMENT, requiredEnv } from '../adapters/job-table-layout';
import { parseCreateJobBody, type CreateJobDefaults } from '../domain/create-job-command';
import { InvalidRequestError } from '../domain/errors';
import { tenantKey } from '../domain/tenant';
import { createJob, type CreateJobInput } from '../domain/use-cases/create-job';
import { requireJsonContentType } from '../http/content-type';
import { httpHandler } from '../http/http-handler';
import type { HttpRequest } from '../http/http-request';
import { json } from '../http/http-response';
import { logger, metrics } from '../http/observability';
import { profileInstanceIdFrom, authorizedTenant } from '../http/tenant-headers';
import { validateAll } from '../http/validate-all';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

const defaults: CreateJobDefaults = {
  mergePolicy: {
    id: requiredEnv(ENVIRONMENT.defaultMergePolicyId),
    ...(process.env[ENVIRONMENT.defaultMergePolicyVersion] && {
      version: Number(process.env[ENVIRONMENT.defaultMergePolicyVersion]),
    }),
  },
};

const dependencies = {
  repository: jobRepository,
  clock: systemClock,
  newBatchId: () => randomUUID().replace(/-/g, ''),
  workflow: new StepFunctionsExportWorkflow(),
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
    () => parseCreateJobBody(request.body, defaults),
  );
  const input: CreateJobInput = { tenant, profileInstanceId, requestId: request.requestId, command };
  const job = idempotencyKey
    ? await createJobOnce(
        { ...input, scope: `${tenantKey(tenant)}#${idempotencyKey}`, payload: { command, profileInstanceId } },
        context,
      )
    : await createJob(dependencies, input);
  metrics.addMetric('JobsCreated', MetricUnit.Count, 1);
  logger.info('Job created', { jobId: job.id });
  return json(200, job);
});

function idempotencyKeyFrom(request: HttpRequest): string | undefined {
  const key = request.headers[HEADERS.idempotencyKey];
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new InvalidRequestError('The Idempotency-Key header is invalid.', [
      {
        path: `/${HEADERS.idempotencyKey}`,
        code: 'pattern',
        message: 'must be 1 to 255 printable characters without spaces',
      },
    ]);
  }
  return key;
}
