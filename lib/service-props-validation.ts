import { Duration, Token } from 'aws-cdk-lib';
import type { ExportJobsServiceProps } from './export-jobs-service';

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
  integer('exportConcurrency', 1, 10000);
  integer('exportPageSize', 1, 10000);
  integer('exportCompressionLevel', 1, 9);
  integer('exportWorkerMemorySize', 256, 10240, ' MiB');

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
    check(props.defaultMergePolicy.id.length > 0, 'defaultMergePolicy.id must not be empty');
  }
  if (problems.length > 0) throw new Error(`Invalid ExportJobsService props: ${problems.join('; ')}`);
}
