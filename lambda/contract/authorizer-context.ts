import type { TenantGrants } from './tenant';

/**
 * What the authorizer hands to the functions through API Gateway (requestContext.authorizer):
 * the verified subject and its grants. Context values must be strings, so the lists are JSON.
 */
export interface AuthorizerContext {
  readonly subject: string;
  readonly orgs: string;
  readonly sandboxes: string;
}

export function toAuthorizerContext(subject: string, grants: TenantGrants): AuthorizerContext {
  return { subject, orgs: JSON.stringify(grants.orgs), sandboxes: JSON.stringify(grants.sandboxes) };
}

/** The grants in a request's authorizer context; undefined when there is no verified identity. */
export function grantsFromAuthorizerContext(context: Record<string, unknown> | undefined): TenantGrants | undefined {
  if (!context || typeof context.orgs !== 'string' || typeof context.sandboxes !== 'string') return undefined;
  try {
    const orgs = JSON.parse(context.orgs);
    const sandboxes = JSON.parse(context.sandboxes);
    if (!Array.isArray(orgs) || !Array.isArray(sandboxes)) return undefined;
    return { orgs: orgs.map(String), sandboxes: sandboxes.map(String) };
  } catch {
    return undefined;
  }
}
