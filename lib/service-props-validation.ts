import { Duration, Token } from 'aws-cdk-lib';
import { MAX_PROFILE_STORE_SHARDS } from '../lambda/contract/profile-store';
import { basePathProblem } from './api/base-path';
import type { ExportJobsServiceProps } from './export-jobs-service';
import { datasetQueryProblems } from './query/dataset-query-validation';

/** Shards of one job exported at the same time, unless `exportConcurrency` says otherwise. */
export const DEFAULT_EXPORT_CONCURRENCY = 16;

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

/**
 * Checks ExportJobsService props at synth time and reports every bad one at once, each message
 * naming the prop and the value it got. Values that are tokens (known only at deploy time)
 * are left to CloudFormation.
 */
export function validateServiceProps(props: ExportJobsServiceProps): void {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => ok || problems.push(message);
  const integer = (name: keyof ExportJobsServiceProps, min: number, max: number, unit = '') => {
    const value = props[name] as number | undefined;
    if (value === undefined || Token.isUnresolved(value)) return;
    const range = max === Infinity ? `a positive integer` : `an integer from ${min} to ${max}${unit}`;
    check(Number.isInteger(value) && value >= min && value <= max, `${name} must be ${range}, got ${value}`);
  };

  const rate = props.throttlingRateLimit;
  if (rate !== undefined && !Token.isUnresolved(rate))
    check(rate > 0, `throttlingRateLimit must be positive, got ${rate}`);
  const burst = props.throttlingBurstLimit;
  if (burst !== undefined && !Token.isUnresolved(burst)) {
    check(Number.isInteger(burst) && burst >= 0, `throttlingBurstLimit must be a non-negative integer, got ${burst}`);
  }
  integer('apiFunctionMemorySize', 128, 10240, ' MiB');
  integer('apiFunctionReservedConcurrency', 1, Infinity);
  integer('profileStoreShards', 1, MAX_PROFILE_STORE_SHARDS);
  integer('exportConcurrency', 1, 10000);
  integer('exportPageSize', 1, 10000);
  integer('exportCompressionLevel', 1, 9);
  integer('exportWorkerMemorySize', 256, 10240, ' MiB');
  integer('exportWorkerReservedConcurrency', 1, Infinity);

  if (props.reserveConcurrency === false) {
    for (const name of ['apiFunctionReservedConcurrency', 'exportWorkerReservedConcurrency'] as const) {
      if (props[name] !== undefined)
        problems.push(`${name} cannot be set when reserveConcurrency is false, got ${props[name]}`);
    }
  }
  const workers = props.exportWorkerReservedConcurrency;
  const width = props.exportConcurrency ?? DEFAULT_EXPORT_CONCURRENCY;
  if (workers !== undefined && !Token.isUnresolved(workers) && !Token.isUnresolved(width)) {
    check(
      workers >= width,
      `exportWorkerReservedConcurrency must be at least exportConcurrency (${width}), or one job throttles its own workers, got ${workers}`,
    );
  }

  const budget = props.exportInvocationBudget ?? Duration.minutes(10);
  const workerTimeout = props.exportWorkerTimeout ?? Duration.minutes(15);
  if (!budget.isUnresolved() && !workerTimeout.isUnresolved()) {
    check(
      workerTimeout.toSeconds() <= 900,
      `exportWorkerTimeout must be at most 15 minutes (Lambda's limit), got ${workerTimeout}`,
    );
    check(
      budget.toMilliseconds() + 60_000 <= workerTimeout.toMilliseconds(),
      `exportInvocationBudget (${budget}) must leave at least a minute of exportWorkerTimeout (${workerTimeout}) to finish the part files`,
    );
  }
  if (props.apiStageName !== undefined) {
    check(
      /^[A-Za-z0-9_-]{1,128}$/.test(props.apiStageName),
      `apiStageName must match [A-Za-z0-9_-]{1,128}, got '${props.apiStageName}'`,
    );
  }
  const badBasePath = basePathProblem(props.basePath);
  if (badBasePath) problems.push(badBasePath);
  if (props.logLevel !== undefined) {
    check(
      LOG_LEVELS.includes(props.logLevel),
      `logLevel must be one of ${LOG_LEVELS.join(', ')}, got '${props.logLevel}'`,
    );
  }
  if (props.idempotencyTtl !== undefined && !props.idempotencyTtl.isUnresolved()) {
    check(
      props.idempotencyTtl.toSeconds() >= 60,
      `idempotencyTtl must be at least 1 minute, got ${props.idempotencyTtl}`,
    );
  }
  if (props.defaultMergePolicy !== undefined) {
    const { id, version } = props.defaultMergePolicy;
    check(id.length > 0, "defaultMergePolicy.id must not be empty, got ''");
    if (version !== undefined && !Token.isUnresolved(version)) {
      check(
        Number.isInteger(version) && version >= 1,
        `defaultMergePolicy.version must be a positive integer, got ${version}`,
      );
    }
  }
  if (props.workflowTimeout !== undefined && !props.workflowTimeout.isUnresolved()) {
    const seconds = props.workflowTimeout.toSeconds();
    check(
      seconds >= 60 && seconds <= 365 * 24 * 3600,
      `workflowTimeout must be from 1 minute to 365 days (Step Functions' limit), got ${props.workflowTimeout}`,
    );
  }
  if (props.authorizerCacheTtl !== undefined && !props.authorizerCacheTtl.isUnresolved()) {
    check(
      props.authorizerCacheTtl.toSeconds() <= 3600,
      `authorizerCacheTtl must be at most 1 hour (API Gateway's limit), got ${props.authorizerCacheTtl}`,
    );
  }
  for (const claim of ['orgsClaim', 'sandboxesClaim'] as const) {
    const value = props[claim];
    if (value !== undefined) check(value.trim().length > 0, `${claim} must name a token claim, got '${value}'`);
  }
  if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn)) {
    check(
      /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+/.test(props.webAclArn),
      `webAclArn must be the ARN of a regional WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/...), got '${props.webAclArn}'`,
    );
  }
  const planNames = (props.usagePlans ?? []).map((plan) => plan.name);
  for (const name of new Set(planNames)) {
    check(name.length > 0, "usagePlans: every plan needs a name, got ''");
    const count = planNames.filter((other) => other === name).length;
    check(count === 1, `usagePlans: plan names must be unique, got '${name}' ${count} times`);
  }
  if (props.query) problems.push(...datasetQueryProblems(props.query));
  if (problems.length > 0) throw new Error(`Invalid ExportJobsService props: ${problems.join('; ')}`);
}
