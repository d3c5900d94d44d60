/**
 * The environment variables through which the construct configures the functions: the
 * construct writes them, the adapters read them (with `requiredEnv`).
 */
export const ENVIRONMENT = {
  jobTableName: 'JOB_TABLE_NAME',
  datasetTableName: 'DATASET_TABLE_NAME',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  exportBucketName: 'EXPORT_BUCKET_NAME',
  defaultMergePolicyId: 'DEFAULT_MERGE_POLICY_ID',
  defaultMergePolicyVersion: 'DEFAULT_MERGE_POLICY_VERSION',
  idempotencyTtlSeconds: 'IDEMPOTENCY_TTL_SECONDS',
  profileTableName: 'PROFILE_TABLE_NAME',
  eventTableName: 'EVENT_TABLE_NAME',
  /** The construct's `profileStoreShards`: the bucket count of a tenant's store without a layout. */
  profileStoreShards: 'PROFILE_STORE_SHARDS',
  stateMachineArn: 'STATE_MACHINE_ARN',
  exportPageSize: 'EXPORT_PAGE_SIZE',
  exportInvocationBudgetMs: 'EXPORT_INVOCATION_BUDGET_MS',
  exportGzipLevel: 'EXPORT_GZIP_LEVEL',
  eventBusName: 'JOB_EVENT_BUS_NAME',
  membershipIndexTableName: 'MEMBERSHIP_INDEX_TABLE_NAME',
  configTableName: 'CONFIG_TABLE_NAME',
  /** `glue` or `none` (QUERY_CATALOGS): where the finalizer registers complete batches. */
  queryCatalog: 'QUERY_CATALOG',
  /** The Glue database of the dataset tables, with `QUERY_CATALOG=glue`. */
  queryDatabaseName: 'QUERY_DATABASE_NAME',
} as const;

/** How the construct configures the authorizer (Cognito or any OIDC issuer). */
export const AUTH_ENVIRONMENT = {
  issuerKind: 'TOKEN_ISSUER_KIND',
  userPoolId: 'COGNITO_USER_POOL_ID',
  clientIds: 'COGNITO_CLIENT_IDS',
  issuer: 'OIDC_ISSUER',
  jwksUri: 'OIDC_JWKS_URI',
  audiences: 'OIDC_AUDIENCES',
  tokenUse: 'TOKEN_USE',
  orgsClaim: 'ORGS_CLAIM',
  sandboxesClaim: 'SANDBOXES_CLAIM',
} as const;
