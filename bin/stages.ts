import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TokenIssuer } from '../lib/auth/token-issuer';
import type { ExportJobsServiceProps } from '../lib/export-jobs-service';

/**
 * The development token issuer of the local stack (`npm start` runs it). The local runner
 * passes its JWKS URI as context `devIssuerJwksUri` when it synthesizes the app.
 */
export const DEV_ISSUER = {
  issuer: 'https://dev-issuer.export-jobs.local',
  audience: 'export-jobs-local',
  defaultJwksUri: 'http://127.0.0.1:4599/.well-known/jwks.json',
} as const;

/** API keys of the local stack: fixed, so that a newcomer's curl works (they guard nothing real). */
export const LOCAL_API_KEYS = {
  demo: 'local-demo-api-key-0123456789',
  trial: 'local-trial-api-key-0123456789',
} as const;

function devIssuer(context: Record<string, unknown>): TokenIssuer {
  return TokenIssuer.oidc({
    issuer: DEV_ISSUER.issuer,
    jwksUri: String(context.devIssuerJwksUri || DEV_ISSUER.defaultJwksUri),
    audiences: [DEV_ISSUER.audience],
  });
}

const localUsagePlans = [
  {
    name: 'Standard',
    rateLimit: 500,
    burstLimit: 1000,
    quotaPerDay: 10_000_000,
    apiKeys: [{ name: 'Demo', value: LOCAL_API_KEYS.demo }],
  },
  // A small tier, to see (and test) usage-plan throttling and quotas.
  {
    name: 'Trial',
    rateLimit: 2,
    burstLimit: 2,
    quotaPerDay: 20,
    apiKeys: [{ name: 'Trial', value: LOCAL_API_KEYS.trial }],
  },
];

/** The stage `npm start` runs. */
const LOCAL: StageSettings = {
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
  // The local runtime runs at most this many worker threads of a function at once: on a
  // small machine more would only add memory. The API's functions get the runtime's default
  // (16): past it a request is answered 429, and the tests create jobs 12 at a time.
  exportWorkerReservedConcurrency: 8,
  apiFunctionReservedConcurrency: 16,
  tokenIssuer: devIssuer,
  usagePlans: localUsagePlans,
  // No Glue locally: the finalizer registers no partitions (QUERY_CATALOG=none), and
  // `npm run query` runs the same SQL over the complete batches with an embedded engine.
  query: { enabled: false },
};

/**
 * Every stage-specific setting, in one place. `cdk deploy -c stage=<name>` picks one; the
 * local stack (`npm start`) synthesizes the `local` stage. Settings that depend on the app's
 * context (the local token issuer) are functions of it.
 */
export const STAGES = {
  local: LOCAL,
  // The local stack with the routes under the reference platform's prefix, as its clients
  // build them (`npm start -- --stage local-ups`): /local/data/core/ups/export/jobs.
  'local-ups': { ...LOCAL, basePath: '/data/core/ups' },
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
    tokenIssuer: devIssuer,
    usagePlans: localUsagePlans,
    query: { enabled: false },
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
} satisfies Record<string, StageSettings>;

/** A stage's service props; a token issuer may depend on the app's context. */
type StageSettings = Omit<ExportJobsServiceProps, 'tokenIssuer'> & {
  readonly tokenIssuer?: (context: Record<string, unknown>) => TokenIssuer;
};

export type StageName = keyof typeof STAGES;

export function stageSettings(stage: string, context: Record<string, unknown> = {}): ExportJobsServiceProps {
  if (!(stage in STAGES)) {
    throw new Error(
      `Unknown stage '${stage}'; use one of ${Object.keys(STAGES).join(', ')} (cdk deploy -c stage=<name>)`,
    );
  }
  const { tokenIssuer, ...settings } = STAGES[stage as StageName] as StageSettings;
  return { ...settings, ...(tokenIssuer && { tokenIssuer: tokenIssuer(context) }) };
}

export function stackName(stage: string): string {
  return `ExportJobs-${stage}`;
}
