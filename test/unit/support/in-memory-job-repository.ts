import type { JobRecord, JobStatus } from '../../../lambda/contract/job-record';
import { JOB_KEYS } from '../../../lambda/contract/job-table';
import type { JobPageQuery, JobRepository, JobTiming } from '../../../lambda/domain/ports';
import type { ExportableJob, ExportSettings } from '../../../lambda/contract/workflow';
import { tenantKey, type Tenant } from '../../../lambda/contract/tenant';

/**
 * A JobRepository in memory with the same conditional semantics as the DynamoDB one. `beforeWrite`
 * lets a test change a job between a use case's read and its conditional write, as a
 * concurrent workflow would.
 */
export class InMemoryJobRepository implements JobRepository {
  readonly jobs = new Map<string, JobRecord>();
  /** Storage-only attributes of a job (cancelRequestedAt, finalizingAt), as the workflow sets them. */
  readonly marks = new Map<string, { cancelRequestedAt?: number; finalizingAt?: number }>();
  /** What a job keeps for its export only (not in its record), as the DynamoDB store keeps it beside. */
  readonly exportSettings = new Map<string, ExportSettings>();
  private readonly counters = new Map<string, number>();
  beforeWrite?: (job: JobRecord) => void;

  async nextJobId(tenant: Tenant): Promise<number> {
    const next = (this.counters.get(tenantKey(tenant)) ?? 0) + 1;
    this.counters.set(tenantKey(tenant), next);
    return next;
  }

  async insert({ attributeMerge, ...job }: ExportableJob): Promise<void> {
    const key = this.key({ orgId: job.imsOrgId, sandboxName: job.sandboxName }, job.id);
    if (this.jobs.has(key)) throw new Error('ConditionalCheckFailed');
    this.jobs.set(key, structuredClone(job));
    this.exportSettings.set(key, structuredClone({ ...(attributeMerge && { attributeMerge }) }));
  }

  /** The export settings stored with a job. */
  settingsOf(tenant: Tenant, id: number): ExportSettings | undefined {
    return this.exportSettings.get(this.key(tenant, id));
  }

  async get(tenant: Tenant, id: number): Promise<JobRecord | undefined> {
    const job = this.jobs.get(this.key(tenant, id));
    return job && structuredClone(job);
  }

  async listPage(tenant: Tenant, query: JobPageQuery): Promise<{ jobs: JobRecord[]; hasMore: boolean }> {
    const after = query.after ? JOB_KEYS.createdOrder(query.after) : undefined;
    const matching = [...this.jobs.values()]
      .filter((job) => job.imsOrgId === tenant.orgId && job.sandboxName === tenant.sandboxName)
      .filter((job) => !query.status || job.status === query.status)
      .filter((job) => !after || JOB_KEYS.createdOrder(job) < after)
      .sort((a, b) => (JOB_KEYS.createdOrder(a) < JOB_KEYS.createdOrder(b) ? 1 : -1));
    return { jobs: matching.slice(0, query.limit), hasMore: matching.length > query.limit };
  }

  async cancel(
    tenant: Tenant,
    id: number,
    from: 'NEW' | 'PROCESSING',
    at: number,
    totalTime: JobTiming,
  ): Promise<boolean> {
    const marks = this.marksOf(tenant, id);
    if (from === 'PROCESSING' && (marks.cancelRequestedAt === undefined || marks.finalizingAt !== undefined))
      return false;
    return this.conditionally(tenant, id, from, (job) =>
      Object.assign(job, { status: 'CANCELLED', updateTime: at, metrics: { ...job.metrics, totalTime } }),
    );
  }

  async requestCancel(tenant: Tenant, id: number, at: number): Promise<boolean> {
    if (this.marksOf(tenant, id).finalizingAt !== undefined) return false;
    return this.conditionally(tenant, id, 'PROCESSING', (job) => {
      this.marksOf(tenant, id).cancelRequestedAt ??= at;
      Object.assign(job, { updateTime: at });
    });
  }

  /** What the workflow does: NEW → PROCESSING, then the finalization claim. */
  setStatus(tenant: Tenant, id: number, status: JobStatus): void {
    Object.assign(this.jobs.get(this.key(tenant, id))!, { status });
  }

  claimFinalization(tenant: Tenant, id: number): void {
    this.marksOf(tenant, id).finalizingAt = Date.now();
  }

  marksOf(tenant: Tenant, id: number): { cancelRequestedAt?: number; finalizingAt?: number } {
    const key = this.key(tenant, id);
    if (!this.marks.has(key)) this.marks.set(key, {});
    return this.marks.get(key)!;
  }

  async remove(tenant: Tenant, id: number, status: JobStatus): Promise<boolean> {
    return this.conditionally(tenant, id, status, () => this.jobs.delete(this.key(tenant, id)));
  }

  private conditionally(tenant: Tenant, id: number, expected: JobStatus, apply: (job: JobRecord) => unknown): boolean {
    const current = this.jobs.get(this.key(tenant, id));
    if (current) this.beforeWrite?.(current);
    const job = this.jobs.get(this.key(tenant, id));
    if (!job || job.status !== expected) return false;
    apply(job);
    return true;
  }

  private key(tenant: Tenant, id: number): string {
    return `${tenantKey(tenant)}#${id}`;
  }
}
