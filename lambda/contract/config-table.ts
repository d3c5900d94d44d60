import { tenantKey, type Tenant } from './tenant';

/**
 * The layout of the config table: a tenant's merge policies and segment definitions. The
 * construct creates the table from it, and the one adapter that reads and writes it
 * (`lambda/adapters/config-store`) builds every key with the functions below.
 *
 * - merge policy:    pk = <tenant>, sk = MERGE_POLICY#<id>, plus the policy's fields
 * - default marker:  pk = <tenant>, sk = DEFAULT_MERGE_POLICY#<schema name>, policyId: the
 *                    tenant's default policy for that schema. Written in the same transaction as
 *                    the policy, on the condition that it does not exist (or names that policy):
 *                    so a tenant never has two defaults for one schema, without a read first.
 * - segment:         pk = <tenant>, sk = SEGMENT_DEFINITION#<id>, plus the definition's fields
 */
export const CONFIG_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

export interface ConfigTableKey {
  readonly pk: string;
  readonly sk: string;
}

export const MERGE_POLICY_PREFIX = 'MERGE_POLICY#';
export const SEGMENT_DEFINITION_PREFIX = 'SEGMENT_DEFINITION#';
const DEFAULT_MERGE_POLICY_PREFIX = 'DEFAULT_MERGE_POLICY#';

/** Every key of the config table, built in one place. */
export const CONFIG_KEYS = {
  partition: (tenant: Tenant): string => tenantKey(tenant),
  mergePolicy: (tenant: Tenant, id: string): ConfigTableKey => ({
    pk: tenantKey(tenant),
    sk: `${MERGE_POLICY_PREFIX}${id}`,
  }),
  defaultMergePolicy: (tenant: Tenant, schemaName: string): ConfigTableKey => ({
    pk: tenantKey(tenant),
    sk: `${DEFAULT_MERGE_POLICY_PREFIX}${schemaName}`,
  }),
  segmentDefinition: (tenant: Tenant, id: string): ConfigTableKey => ({
    pk: tenantKey(tenant),
    sk: `${SEGMENT_DEFINITION_PREFIX}${id}`,
  }),
};

/** What an id of a merge policy or segment definition may contain (the service makes UUIDs). */
export const CONFIG_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,128}$';
