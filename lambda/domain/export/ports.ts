import type { ParquetColumn } from '../../contract/parquet-columns';
import type { StoredEvent, StoredProfile } from '../../contract/profile-store';
import type { Tenant } from '../../contract/tenant';
import type { EventWindow } from './export-plan';
import type { ReadSelection } from './read-selection';

/** One page of a shard: profiles in id order, each with its events when they were asked for. */
export interface ShardPage {
  readonly entries: ReadonlyArray<{ readonly profile: StoredProfile; readonly events: readonly StoredEvent[] }>;
  /** The id of the last profile of the page: where the next page (or a later invocation) starts. */
  readonly lastProfileId?: string;
  readonly hasMore: boolean;
}

/** Reads one shard of a tenant's profile store. */
export interface ProfileShardSource {
  /**
   * The shard's profiles after `after`, in id order: every profile, or only those `select`
   * names (the members of segments, the profiles updated after an instant), read through an index.
   */
  pages(
    tenant: Tenant,
    shard: number,
    options: { after?: string; events?: EventWindow; select?: ReadSelection },
  ): AsyncIterable<ShardPage>;
  /** Whether the shard holds any profile (one item read). */
  hasProfiles(tenant: Tenant, shard: number): Promise<boolean>;
}

/** The tenants' store layouts (lambda/contract/profile-store.ts, STORE_LAYOUT). */
export interface StoreLayouts {
  /**
   * The buckets of the tenant that hold profiles, ascending, from its layout (one read);
   * undefined when the tenant has no layout (its profiles were written before layouts existed).
   */
  occupiedShards(tenant: Tenant): Promise<readonly number[] | undefined>;
}

/** What a finished part file holds. */
export interface PartSummary {
  readonly batchId: string;
  readonly key: string;
  readonly fileName: string;
  readonly records: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Exported records per identity namespace. */
  readonly namespaces: Readonly<Record<string, number>>;
}

/** One exported record: a profile's projected fields, plus `eventList` when asked. */
export type ExportRecord = Record<string, unknown>;

/** How a part file lays its records out: gzip JSON Lines, or Parquet with these columns. */
export type PartLayout =
  { readonly format: 'json' } | { readonly format: 'parquet'; readonly columns: readonly ParquetColumn[] };

/** A part file being written (gzip JSON Lines or Parquet), streamed to storage. */
export interface PartWriter {
  write(record: ExportRecord): Promise<void>;
  /** Completes the file and returns its size and checksum. */
  finish(): Promise<{ bytes: number; sha256: string }>;
  /** Gives up the file (nothing becomes visible). */
  abort(): Promise<void>;
}

export interface PartStore {
  open(key: string, layout: PartLayout): PartWriter;
  /** Deletes a finished part file (one that ended up belonging to no running job). */
  discard(key: string): Promise<void>;
}

/** Where finished parts are recorded, for the manifest and for progress metrics. */
export interface ExportProgress {
  /** Records the part; false when the job is no longer running (it ended meanwhile). */
  recordPart(part: PartSummary): Promise<boolean>;
}
