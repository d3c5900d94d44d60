import { DEFAULT_PROFILE_INSTANCE_ID, HEADERS, TENANT_ID_PATTERN } from '../contract/headers';
import { grantsFromAuthorizerContext } from '../contract/authorizer-context';
import { InvalidRequestError, TenantForbiddenError, type FieldError } from '../domain/errors';
import { isGranted } from '../domain/tenant-grants';
import { pointer } from '../domain/json-pointer';
import type { Tenant } from '../contract/tenant';
import type { HttpRequest } from './http-request';

/**
 * The tenant of a request: the one x-gw-ims-org-id and x-sandbox-name name, provided the
 * identity the authorizer verified is granted it. A missing or malformed header is a 400 that
 * lists each; a tenant the token does not grant — or a request without a verified identity —
 * is a 403. The headers only choose among what the token grants.
 */
export function authorizedTenant(request: HttpRequest): Tenant {
  const errors: FieldError[] = [];
  const orgId = headerValue(request, HEADERS.orgId, errors);
  const sandboxName = headerValue(request, HEADERS.sandboxName, errors);
  if (errors.length > 0) throw new InvalidRequestError('The tenant headers are missing or invalid.', errors);
  const tenant = { orgId: orgId as string, sandboxName: sandboxName as string };
  const grants = grantsFromAuthorizerContext(request.authorizer);
  if (!grants) throw new TenantForbiddenError('The request carries no verified identity.');
  if (!isGranted(grants, tenant)) {
    throw new TenantForbiddenError(
      `The token does not grant organization ${tenant.orgId} and sandbox ${tenant.sandboxName}.`,
    );
  }
  return tenant;
}

/** x-profile-instance-id, recorded on created jobs; `ups` when absent. */
export function profileInstanceIdFrom(request: HttpRequest): string {
  const errors: FieldError[] = [];
  const value = headerValue(request, HEADERS.profileInstanceId, errors, false);
  if (errors.length > 0) throw new InvalidRequestError('A header is invalid.', errors);
  return value ?? DEFAULT_PROFILE_INSTANCE_ID;
}

function headerValue(request: HttpRequest, name: string, errors: FieldError[], required = true): string | undefined {
  const value = request.headers[name]?.trim();
  if (value === undefined || value === '') {
    if (required) errors.push({ path: pointer('', name), code: 'required', message: `header ${name} is required` });
    return undefined;
  }
  if (!TENANT_ID_PATTERN.test(value)) {
    errors.push({
      path: pointer('', name),
      code: 'pattern',
      message: `header ${name} must be 1 to 256 printable characters without spaces`,
    });
    return undefined;
  }
  return value;
}
