/** The organisation and sandbox a job belongs to. A tenant never sees another's jobs. */
export interface Tenant {
  readonly orgId: string;
  readonly sandboxName: string;
}

/**
 * The tenant as one storage key. Each part is URI-encoded, so the separator cannot occur
 * inside a part and two different tenants never share a key.
 */
export function tenantKey(tenant: Tenant): string {
  return `${encodeURIComponent(tenant.orgId)}|${encodeURIComponent(tenant.sandboxName)}`;
}

/** The organisations and sandboxes a verified token lets its bearer use ("*" for any). */
export interface TenantGrants {
  readonly orgs: readonly string[];
  readonly sandboxes: readonly string[];
}
