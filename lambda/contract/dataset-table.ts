import { tenantKey, type Tenant } from './tenant';

/**
 * The layout of the dataset table: the construct creates the table from it, and the one
 * adapter that reads and writes datasets (`lambda/adapters/dataset-store`) builds every key
 * with the functions below.
 *
 * - a dataset: pk = <tenant>, sk = <dataset id>, plus the dataset's fields
 *
 * Dataset ids begin with their creation time (see `domain/dataset-id.ts`), so the sort key
 * orders a tenant's datasets by age: a page, newest first, is one Query read backwards from
 * the cursor (the last id of the previous page), costing O(limit); no index is needed.
 */
export const DATASET_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

export interface DatasetTableKey {
  readonly pk: string;
  readonly sk: string;
}

/** Every key of the dataset table, built in one place. */
export const DATASET_KEYS = {
  partition: (tenant: Tenant): string => tenantKey(tenant),
  dataset: (tenant: Tenant, id: string): DatasetTableKey => ({ pk: tenantKey(tenant), sk: id }),
} as const;
