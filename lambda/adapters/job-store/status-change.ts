import { canTransition, statusesBefore, type JobStatus } from '../../contract/job-lifecycle';
import { JOB_KEYS, JOB_TABLE } from '../../contract/job-table';
import type { Tenant } from '../../contract/tenant';

/** The parts of a conditional UpdateItem. */
export interface ConditionalUpdate {
  readonly set: string[];
  readonly conditions: string[];
  readonly values: Record<string, unknown>;
}

/**
 * The status change of a job to `to` as parts of an UpdateItem: it sets the status and its
 * index key, on condition that the job is in one of the statuses the lifecycle allows `to`
 * from (or a narrower list the caller names; `to` itself is allowed in it, for a retried
 * step that already made the change).
 */
export function statusChange(tenant: Tenant, to: JobStatus, from: readonly JobStatus[] = statusesBefore(to)) {
  for (const status of from) {
    if (status !== to && !canTransition(status, to)) {
      throw new Error(`The job lifecycle has no transition ${status} → ${to}.`);
    }
  }
  return {
    set: ['#status = :to', `${JOB_TABLE.byStatus.partitionKey} = :toTenantStatus`],
    conditions: [whileIn(from)],
    values: {
      ':to': to,
      ':toTenantStatus': JOB_KEYS.tenantStatus(tenant, to),
      ...fromValues(from),
    },
  } satisfies ConditionalUpdate;
}

/** A condition that the job is in one of `statuses` (no change of status). */
export function statusIn(statuses: readonly JobStatus[]): ConditionalUpdate {
  return { set: [], conditions: [whileIn(statuses)], values: fromValues(statuses) };
}

function whileIn(statuses: readonly JobStatus[]): string {
  return `#status IN (${statuses.map((_, index) => `:from${index}`).join(', ')})`;
}

function fromValues(statuses: readonly JobStatus[]): Record<string, unknown> {
  return Object.fromEntries(statuses.map((status, index) => [`:from${index}`, status]));
}
