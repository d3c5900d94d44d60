import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tenant } from '../lambda/contract/tenant';
import { DevIssuer } from './dev-issuer';
import type { LocalStackDescription } from './local-stack';

/**
 * What a client of a local stack needs, found in the stack's data folder: its description
 * (URL, endpoints, API keys), its development issuer (to mint tokens) and the headers of an
 * authenticated request. Used by the commands (token, batch) and the tests.
 */

/** The description a running stack writes into its data folder. */
export function readLocalStack(dataDirectory: string): LocalStackDescription {
  const file = localStackFile(dataDirectory);
  if (!fs.existsSync(file)) throw new Error(`${file} not found: start the local stack first (npm start)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LocalStackDescription;
}

export function localStackFile(dataDirectory: string): string {
  return path.join(dataDirectory, 'local-stack.json');
}

/** Where the development issuer keeps its key pair. */
export function devIssuerDirectory(dataDirectory: string): string {
  return path.join(dataDirectory, 'dev-issuer');
}

/** The development issuer of the stack kept in `dataDirectory` (creating its key pair the first time). */
export function loadDevIssuer(dataDirectory: string): Promise<DevIssuer> {
  return DevIssuer.load(devIssuerDirectory(dataDirectory));
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
    'x-api-key': standardPlanApiKey(readLocalStack(dataDirectory).apiKeys),
    'x-gw-ims-org-id': tenant.orgId,
    'x-sandbox-name': tenant.sandboxName,
  };
}
