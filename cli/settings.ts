/**
 * Where the CLI connects and as whom: each setting from its flag, else its environment
 * variable. The names are documented in the README ("The command-line client").
 */
export interface ConnectionFlags {
  readonly url?: string;
  readonly token?: string;
  readonly apiKey?: string;
  readonly org?: string;
  readonly sandbox?: string;
}

export interface Connection {
  /** The API's root URL: the stage (and base path), e.g. https://…/v1 or http://127.0.0.1:3000/local. */
  readonly url: string;
  readonly token: string;
  readonly apiKey: string;
  readonly org: string;
  readonly sandbox: string;
}

export const ENVIRONMENT_VARIABLES: Readonly<Record<keyof Connection, string>> = {
  url: 'EXPORT_JOBS_URL',
  token: 'EXPORT_JOBS_TOKEN',
  apiKey: 'EXPORT_JOBS_API_KEY',
  org: 'EXPORT_JOBS_ORG',
  sandbox: 'EXPORT_JOBS_SANDBOX',
};

const FLAGS: Readonly<Record<keyof Connection, string>> = {
  url: '--url',
  token: '--token',
  apiKey: '--api-key',
  org: '--org',
  sandbox: '--sandbox',
};

/** The connection, or an error naming every setting that is missing and how to give it. */
export function resolveConnection(flags: ConnectionFlags, environment: NodeJS.ProcessEnv = process.env): Connection {
  const resolved: Partial<Record<keyof Connection, string>> = {};
  const missing: string[] = [];
  for (const name of Object.keys(ENVIRONMENT_VARIABLES) as Array<keyof Connection>) {
    const value = flags[name] ?? environment[ENVIRONMENT_VARIABLES[name]] ?? (name === 'sandbox' ? 'prod' : undefined);
    if (value) resolved[name] = value;
    else missing.push(`${FLAGS[name]} (or ${ENVIRONMENT_VARIABLES[name]})`);
  }
  if (missing.length > 0) throw new UsageError(`Missing settings: ${missing.join(', ')}.`);
  return { ...(resolved as Connection), url: resolved.url!.replace(/\/+$/, '') };
}

/** A mistake in how the CLI was called (exit status 2). */
export class UsageError extends Error {}
