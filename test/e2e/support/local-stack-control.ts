import type { JobRecord, JobStatus } from '../../../lambda/contract/job-record';
import type { PublishedEvent } from '../../../local/event-bus';
import type { InjectedFault } from '../../../local/lambda-runtime';
import type { LocalStackDescription } from '../../../local/local-stack';
import { readLocalStack } from '../../../local/local-client';
import { seedProfileStore } from '../../../local/seed/seed-profile-store';
import { baseUrl, type TenantClient, type TestTenant } from './api-client';

/** Where the stack that globalSetup started keeps its endpoints and resource names. */
export function localStack(dataDirectory = process.env.EXPORT_JOBS_DATA_DIR!): LocalStackDescription {
  return readLocalStack(dataDirectory);
}

export async function injectFault(fault: InjectedFault, url = baseUrl()): Promise<void> {
  const response = await fetch(`${url}/__local/faults`, { method: 'POST', body: JSON.stringify(fault) });
  if (response.status !== 204) throw new Error(`Could not inject a fault: ${response.status}`);
}

export async function listFaults(url = baseUrl()): Promise<Array<InjectedFault & { remaining: number }>> {
  return (await (await fetch(`${url}/__local/faults`)).json()) as Array<InjectedFault & { remaining: number }>;
}

export async function clearFaults(url = baseUrl()): Promise<void> {
  await fetch(`${url}/__local/faults`, { method: 'DELETE' });
}

/** Keeps exports from starting until clearFaults() (see holdingExports). */
export async function holdExports(url = baseUrl()): Promise<void> {
  await injectFault(
    { function: 'StartExportFunction', count: -1, when: 'before', errorType: 'Held', errorMessage: 'held by a test' },
    url,
  );
}

/**
 * Runs `body` while no export can start (the starter fails, so the stream redelivers its
 * records later): the jobs created meanwhile stay NEW until it returns.
 */
export async function holdingExports<T>(body: () => Promise<T>): Promise<T> {
  await injectFault({
    function: 'StartExportFunction',
    count: -1,
    when: 'before',
    errorType: 'Held',
    errorMessage: 'held by a test',
  });
  try {
    return await body();
  } finally {
    await clearFaults();
  }
}

const TERMINAL: JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Polls the job until it is in one of `statuses` (default: any terminal one). */
export async function waitForStatus(
  client: TenantClient,
  id: number,
  statuses: JobStatus[] = TERMINAL,
  timeoutMs = 120_000,
  intervalMs = 200,
): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  let last: JobRecord | undefined;
  while (Date.now() < deadline) {
    const response = await client.get(id);
    last = response.body;
    if (response.status === 200 && statuses.includes(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `Job ${id} did not reach ${statuses.join('|')} in ${timeoutMs} ms; last seen ${JSON.stringify(last)}`,
  );
}

/** Waits until none of the tenant's jobs is NEW or PROCESSING. */
export async function waitUntilSettled(client: TenantClient, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [open, running] = await Promise.all([
      client.list('?status=NEW&limit=1'),
      client.list('?status=PROCESSING&limit=1'),
    ]);
    if (open.body.records.length === 0 && running.body.records.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('The jobs did not all end in time');
}

export async function seedTenant(
  tenant: TestTenant,
  profiles: number,
  seed: number,
  events = true,
  stack = localStack(),
) {
  return seedProfileStore(stack, tenant, { profiles, seed, events });
}

/** The events put on the local stack's event buses, oldest first. */
export async function publishedEvents(url = baseUrl()): Promise<PublishedEvent[]> {
  return (await (await fetch(`${url}/__local/events`)).json()) as PublishedEvent[];
}

/** Polls the buses until `matches` finds events, and returns them. */
export async function waitForEvents(
  matches: (published: PublishedEvent) => boolean,
  timeoutMs = 60_000,
): Promise<PublishedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await publishedEvents()).filter(matches);
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error(`No matching event was published within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
