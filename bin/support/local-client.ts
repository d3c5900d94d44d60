import type { Tenant } from '../../lambda/contract/tenant';
import { devIssuerDirectory, readLocalStack } from '../../local/data-directory';
import { DevIssuer } from '../../local/dev-issuer';
import { DEV_ISSUER } from '../stages';
import type { LocalService, ServiceResource } from './local-service';

/**
 * What a client of the service's local stack needs, found in the stack's data folder: its
 * description (URL, endpoints, API keys, resources), its development issuer (to mint tokens)
 * and the headers of an authenticated request. Used by the commands (token, batch, seed) and
 * the tests.
 */

/** The description the running local stack wrote into `dataDirectory`. */
export function readLocalService(dataDirectory: string): LocalService {
  try {
    return readLocalStack<ServiceResource>(dataDirectory);
  } catch (error) {
    throw new Error(`${(error as Error).message} (npm start)`);
  }
}

/** The development issuer of the stack kept in `dataDirectory` (creating its key pair the first time). */
export function loadDevIssuer(dataDirectory: string): Promise<DevIssuer> {
  return DevIssuer.load(devIssuerDirectory(dataDirectory), DEV_ISSUER);
}

/** The key of the Standard usage plan (its logical id names its 'Demo' key, see bin/stages.ts). */
export function standardPlanApiKey(apiKeys: Readonly<Record<string, string>>): string {
  const id = Object.keys(apiKeys).find((logicalId) => logicalId.includes('Demo')) ?? Object.keys(apiKeys)[0];
  if (id === undefined) throw new Error('The local stack has no API key');
  return apiKeys[id];
}

/** The headers of a request for `tenant`: a fresh token granting it, the Standard plan's key, the tenant headers. */
export async function authenticatedHeaders(dataDirectory: string, tenant: Tenant): Promise<Record<string, string>> {
  const token = await (
    await loadDevIssuer(dataDirectory)
  ).mint({
    orgs: [tenant.orgId],
    sandboxes: [tenant.sandboxName],
    ttlSeconds: 300,
  });
  return {
    authorization: `Bearer ${token}`,
    'x-api-key': standardPlanApiKey(readLocalService(dataDirectory).apiKeys),
    'x-gw-ims-org-id': tenant.orgId,
    'x-sandbox-name': tenant.sandboxName,
  };
}

/**
 * A request to the local stack's own control paths (`/__local/faults`, `/__local/events`), with
 * the admin token they require.
 */
export function controlRequest(dataDirectory: string, controlPath: string, init: RequestInit = {}): Promise<Response> {
  const { controlUrl, adminToken } = readLocalService(dataDirectory);
  return fetch(`${controlUrl}/${controlPath}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${adminToken}` },
  });
}
