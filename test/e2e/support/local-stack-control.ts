import { DescribeExecutionCommand, SFNClient, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { JOB_EVENTS, type JobEndedDetail } from '../../../lambda/contract/job-events';
import type { JobRecord, JobStatus } from '../../../lambda/contract/job-record';
import { executionArn, executionName } from '../../../lambda/domain/export/execution-name';
import type { PublishedEvent } from '../../../local/event-bus';
import type { ActiveFault, InjectedFault } from '../../../local/lambda-runtime';
import { LOCAL_CREDENTIALS } from '../../../local/local-network';
import { controlRequest, readLocalService } from '../../../bin/support/local-client';
import type { LocalService } from '../../../bin/support/local-service';
import { waitForMembershipIndex } from '../../../bin/support/membership-index-progress';
import { seedProfileStore } from '../../../bin/support/seed-profile-store';
import { dataDirectory, type TenantClient, type TestTenant } from './api-client';

/** Where the stack that globalSetup started keeps its endpoints and resource names. */
export function localStack(dataDirectory = process.env.EXPORT_JOBS_DATA_DIR!): LocalService {
  return readLocalService(dataDirectory);
}

export async function injectFault(fault: InjectedFault, directory = dataDirectory()): Promise<void> {
  const response = await controlRequest(directory, 'faults', { method: 'POST', body: JSON.stringify(fault) });
  if (response.status !== 204) throw new Error(`Could not inject a fault: ${response.status}`);
}

export async function listFaults(directory = dataDirectory()): Promise<ActiveFault[]> {
  return (await (await controlRequest(directory, 'faults')).json()) as ActiveFault[];
}

/** Waits until the fault on `functionName` has failed at least one invocation: that function has run. */
export async function waitForFaultToFail(
  functionName: string,
  directory = dataDirectory(),
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await listFaults(directory)).every((fault) => fault.function !== functionName || fault.failed === 0)) {
    if (Date.now() > deadline) throw new Error(`No invocation of ${functionName} failed in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The workflow execution of `job`, as Step Functions describes it; undefined before it starts. */
export async function describeExecution(
  tenant: TestTenant,
  job: Pick<JobRecord, 'id' | 'creationTime'>,
  stack = localStack(),
): Promise<DescribeExecutionCommandOutput | undefined> {
  const client = new SFNClient({
    endpoint: stack.stepFunctionsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const name = executionName(tenant, job.id, job.creationTime);
    return await client.send(
      new DescribeExecutionCommand({ executionArn: executionArn(stack.resources.stateMachine, name) }),
    );
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}

/** Waits until the workflow execution of `job` has started and ended (any status but RUNNING). */
export async function waitForExecutionEnd(
  tenant: TestTenant,
  job: Pick<JobRecord, 'id' | 'creationTime'>,
  stack = localStack(),
  timeoutMs = 120_000,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await describeExecution(tenant, job, stack);
    if (execution && execution.status !== 'RUNNING') return execution;
    if (Date.now() > deadline)
      throw new Error(
        `The execution of job ${job.id} did not end in ${timeoutMs} ms (${execution?.status ?? 'not started'})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function clearFaults(directory = dataDirectory()): Promise<void> {
  await controlRequest(directory, 'faults', { method: 'DELETE' });
}

/** Keeps exports from starting until clearFaults() (see holdingExports). */
export async function holdExports(directory = dataDirectory()): Promise<void> {
  await injectFault(
    { function: 'StartExportFunction', count: -1, when: 'before', errorType: 'Held', errorMessage: 'held by a test' },
    directory,
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

/** Waits until the membership index holds the memberships of a seeded tenant (see waitForMembershipIndex). */
export async function waitForIndexedTenant(
  tenant: TestTenant,
  profiles: number,
  seed: number,
  stack = localStack(),
  events = true,
) {
  return waitForMembershipIndex(stack, tenant, { profiles, seed, events });
}

/** The events put on the local stack's event buses, oldest first. */
export async function publishedEvents(directory = dataDirectory()): Promise<PublishedEvent[]> {
  return (await (await controlRequest(directory, 'events')).json()) as PublishedEvent[];
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

/** The "Export Job Ended" events of one job, once at least one has been published. */
export function jobEndedEvents(job: Pick<JobRecord, 'id' | 'imsOrgId' | 'sandboxName'>): Promise<PublishedEvent[]> {
  return waitForEvents(
    ({ event }) =>
      event.source === JOB_EVENTS.source &&
      event['detail-type'] === JOB_EVENTS.jobEnded &&
      (event.detail as JobEndedDetail).id === job.id &&
      (event.detail as JobEndedDetail).imsOrgId === job.imsOrgId &&
      (event.detail as JobEndedDetail).sandboxName === job.sandboxName,
  );
}
