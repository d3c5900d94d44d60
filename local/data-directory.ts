import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalStackDescription } from './local-stack';

/**
 * Where a local stack keeps what its clients need, inside its data folder: the description of
 * the running stack (URL, endpoints, API keys, resource names) and the development issuer's
 * key pair. Clients in other processes (commands, tests) find the stack through these.
 */

/** The description a running stack writes into its data folder. */
export function localStackFile(dataDirectory: string): string {
  return path.join(dataDirectory, 'local-stack.json');
}

/** Where the development issuer keeps its key pair. */
export function devIssuerDirectory(dataDirectory: string): string {
  return path.join(dataDirectory, 'dev-issuer');
}

/** The description of the stack running on `dataDirectory`; fails when none was started there. */
export function readLocalStack<Resource extends string = string>(
  dataDirectory: string,
): LocalStackDescription<Resource> {
  const file = localStackFile(dataDirectory);
  if (!fs.existsSync(file)) throw new Error(`${file} not found: start the local stack first`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LocalStackDescription<Resource>;
}
