import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ExportJobsServiceProps } from '../lib/export-jobs-service';

/**
 * Every stage-specific setting, in one place. `cdk deploy -c stage=<name>` picks one; the
 * local stack (`npm start`) synthesizes the `local` stage.
 */
export const STAGES = {
  local: {
    apiStageName: 'local',
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: logs.RetentionDays.ONE_DAY,
    logLevel: 'INFO',
    throttlingRateLimit: 200,
    throttlingBurstLimit: 400,
    // Small pages and a zero budget: every local export hands its cursor back after each page,
    // so the continuation path of the workflow runs all the time, not only on huge tables.
    exportConcurrency: 8,
    exportPageSize: 50,
    exportInvocationBudget: Duration.seconds(0),
    exportWorkerTimeout: Duration.minutes(2),
  },
  // The local stack with production settings for the export (npm run bench).
  bench: {
    apiStageName: 'bench',
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: logs.RetentionDays.ONE_DAY,
    logLevel: 'WARN',
    throttlingRateLimit: 1000,
    throttlingBurstLimit: 2000,
    exportConcurrency: 8,
    exportPageSize: 500,
    exportInvocationBudget: Duration.minutes(10),
    exportWorkerTimeout: Duration.minutes(15),
    exportWorkerMemorySize: 1024,
  },
  dev: {
    apiStageName: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: logs.RetentionDays.ONE_WEEK,
    logLevel: 'DEBUG',
  },
  staging: {
    apiStageName: 'staging',
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: logs.RetentionDays.ONE_MONTH,
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
  },
  prod: {
    apiStageName: 'v1',
    removalPolicy: RemovalPolicy.RETAIN,
    logRetention: logs.RetentionDays.ONE_YEAR,
    idempotencyTtl: Duration.hours(24),
  },
} satisfies Record<string, ExportJobsServiceProps>;

export type StageName = keyof typeof STAGES;

export function stageSettings(stage: string): ExportJobsServiceProps {
  if (!(stage in STAGES)) {
    throw new Error(
      `Unknown stage '${stage}'; use one of ${Object.keys(STAGES).join(', ')} (cdk deploy -c stage=<name>)`,
    );
  }
  return STAGES[stage as StageName];
}

export function stackName(stage: string): string {
  return `ExportJobs-${stage}`;
}
