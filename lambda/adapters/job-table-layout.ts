/**
 * The layout of the job table, shared by the construct that creates it and the adapter that
 * reads it, so the two cannot drift apart.
 *
 * - a job:      pk = <tenant>, sk = JOB#<id, 16 digits>, plus the job's fields
 * - id counter: pk = <tenant>, sk = COUNTER, lastJobId
 * - part file:  pk = <tenant>, sk = JOB#<id>#PART#<batchId>#<shard>#<sequence>, written by the
 *               export workers, read by the finalizer, expired by TTL (`expiresAt`)
 *
 * Both indexes are sparse (only jobs carry `createdOrder`) and sort newest first when queried
 * backwards, so a page costs O(limit) whatever the number of jobs of the tenant.
 */
export const JOB_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** All jobs of a tenant by (creationTime, id). */
  byCreationTime: { indexName: 'byCreationTime', partitionKey: 'pk', sortKey: 'createdOrder' },
  /** The jobs of a tenant in one status by (creationTime, id). */
  byStatus: { indexName: 'byStatus', partitionKey: 'tenantStatus', sortKey: 'createdOrder' },
  /** Epoch seconds after which DynamoDB deletes an item (only bookkeeping items carry it). */
  timeToLiveAttribute: 'expiresAt',
} as const;

/** Environment variables through which the construct configures the functions. */
export const ENVIRONMENT = {
  jobTableName: 'JOB_TABLE_NAME',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  exportBucketName: 'EXPORT_BUCKET_NAME',
  defaultMergePolicyId: 'DEFAULT_MERGE_POLICY_ID',
  defaultMergePolicyVersion: 'DEFAULT_MERGE_POLICY_VERSION',
  idempotencyTtlSeconds: 'IDEMPOTENCY_TTL_SECONDS',
  profileTableName: 'PROFILE_TABLE_NAME',
  eventTableName: 'EVENT_TABLE_NAME',
  stateMachineArn: 'STATE_MACHINE_ARN',
  exportPageSize: 'EXPORT_PAGE_SIZE',
  exportInvocationBudgetMs: 'EXPORT_INVOCATION_BUDGET_MS',
  exportGzipLevel: 'EXPORT_GZIP_LEVEL',
} as const;

/** Reads a variable the construct always sets; its absence is a deployment error. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `Environment variable ${name} is not set; deploy the function with the ExportJobsService construct.`,
    );
  return value;
}
