import type { CompleteBatch, UncataloguedBatch } from './dataset-table';

/**
 * Where complete batches become queryable: on AWS the dataset's Glue table gets the batch as a
 * partition. The finalizer calls it after the batch's manifest is written, so a query never
 * sees a batch that is not complete.
 */
export interface QueryCatalog {
  /**
   * Creates the dataset's table if it is missing and adds the batch as a partition; both
   * idempotent, so a retried finalizer registers the same batch again harmlessly.
   */
  register(batch: CompleteBatch): Promise<void>;
  /** A complete batch that gets no partition, and why (said, never silently skipped). */
  skip(batch: UncataloguedBatch): void;
}
