import type { Tenant, TenantGrants } from '../contract/tenant';

/**
 * A claim's values: a JSON array of strings, or a string of values separated by commas or
 * spaces (identity providers such as Cognito keep custom attributes as strings).
 */
export function claimValues(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === 'string' && value !== '');
  if (typeof claim !== 'string') return [];
  const text = claim.trim();
  if (text.startsWith('[')) {
    try {
      return claimValues(JSON.parse(text));
    } catch {
      return [];
    }
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

export function grantsFromClaims(
  payload: Record<string, unknown>,
  orgsClaim: string,
  sandboxesClaim: string,
): TenantGrants {
  return { orgs: claimValues(payload[orgsClaim]), sandboxes: claimValues(payload[sandboxesClaim]) };
}

/** Whether the grants cover the organisation and the sandbox of a tenant. */
export function isGranted(grants: TenantGrants, tenant: Tenant): boolean {
  const covers = (values: readonly string[], value: string) => values.includes('*') || values.includes(value);
  return covers(grants.orgs, tenant.orgId) && covers(grants.sandboxes, tenant.sandboxName);
}
