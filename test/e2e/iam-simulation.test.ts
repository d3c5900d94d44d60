import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { controlRequest } from '../../bin/support/local-client';
import { SERVICE_RESOURCES, type RunningLocalService } from '../../bin/support/local-service';
import { seedProfileStore } from '../../bin/support/seed-profile-store';
import { DEV_ISSUER } from '../../bin/stages';
import { JOB_EVENTS, type JobEndedDetail } from '../../lambda/contract/job-events';
import type { AwsCall } from '../../local/aws-call-journal';
import { startLocalStack } from '../../local/local-stack';
import { TenantClient, newTenant, request } from './support/api-client';
import { simulateCalls } from './support/iam-simulation';
import { addKmsServiceStack } from './support/kms-service-stack';
import { clearFaults, injectFault, waitForEvents, waitForStatus } from './support/local-stack-control';

jest.setTimeout(420_000);

/**
 * Every AWS call the functions and the state machine make while jobs are created, exported,
 * listed, read, replayed, cancelled, failed and deleted, and their events published — recorded
 * on a local stack of its own (customer managed keys on the tables, the queue and a bucket the
 * stack brings) — is simulated against the caller's role in the synthesized template. A call
 * the deployed role would deny fails the test; so does a KMS call S3 or DynamoDB would make for
 * the caller with its permissions.
 */
describe('IAM of the deployed roles against the calls the code really makes', () => {
  let stack: RunningLocalService;
  let dataDirectory: string;
  const previous = { url: process.env.EXPORT_JOBS_URL, dataDirectory: process.env.EXPORT_JOBS_DATA_DIR };

  beforeAll(async () => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-iam-'));
    stack = await startLocalStack({
      assembly: ({ devIssuerJwksUri, assemblyDirectory }) => {
        const app = new App({
          outdir: assemblyDirectory,
          context: { devIssuerJwksUri, 'aws:cdk:enable-asset-metadata': true },
        });
        const { stackName } = addKmsServiceStack(app);
        const assembly = app.synth();
        return {
          templateFile: path.resolve(assembly.directory, assembly.getStackByName(stackName).templateFile),
          stackName,
        };
      },
      devIssuer: DEV_ISSUER,
      resources: SERVICE_RESOURCES,
      port: 0,
      dataDirectory,
      inMemory: true,
      recordAwsCalls: true,
    });
    // The clients and controls of the e2e support talk to this stack while this file runs.
    process.env.EXPORT_JOBS_URL = stack.url;
    process.env.EXPORT_JOBS_DATA_DIR = dataDirectory;
  });

  afterAll(async () => {
    process.env.EXPORT_JOBS_URL = previous.url;
    process.env.EXPORT_JOBS_DATA_DIR = previous.dataDirectory;
    await stack?.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('GIVEN a dataset created, read and listed, then create → export → list → get → replay → cancel → fail → delete and the job events WHEN each recorded call is simulated against its caller’s role THEN none is denied', async () => {
    const tenant = newTenant('iam');
    await seedProfileStore(stack, tenant, { profiles: 120, seed: 7, events: true });
    const client = new TenantClient(tenant);

    // The dataset the jobs export into: created, read back, listed.
    const datasetId = await client.datasetId();
    expect((await client.getDataset(datasetId)).status).toBe(200);
    expect((await client.listDatasets('?limit=5')).status).toBe(200);

    // Create (with an Idempotency-Key and events attached) → export → SUCCEEDED; replayed.
    const body = {
      ...(await client.minimalJob()),
      additionalFields: { eventList: { filter: { fromIngestTimestamp: '2000-01-01T00:00:00Z' } } },
    };
    const created = await client.create(body, { 'Idempotency-Key': 'iam-simulation-1' });
    expect(created.status).toBe(200);
    const succeeded = await waitForStatus(client, created.body.id, ['SUCCEEDED']);
    expect((await client.create(body, { 'Idempotency-Key': 'iam-simulation-1' })).body.id).toBe(succeeded.id);

    // Read it back: the list (both indexes), the job.
    expect((await client.list('?limit=5')).status).toBe(200);
    expect((await client.list('?status=SUCCEEDED&limit=5')).status).toBe(200);
    expect((await client.get(succeeded.id)).status).toBe(200);

    // Its batch read back through the API, and each file of a part downloaded through its
    // presigned URL: S3 checks that GET against the role that signed it (and the bucket's key).
    const link = (href: string) => new URL(href, stack.url).href;
    const files = await request('GET', `/export/batches/${succeeded.destination.batchId}/files`, { tenant });
    expect(files.status).toBe(200);
    const detail = await request('GET', '', { tenant, baseUrl: link(files.body.data[0]._links.self.href) });
    for (const entry of detail.body.data) {
      const redirect = await request('GET', '', { tenant, baseUrl: link(entry._links.self.href), redirect: 'manual' });
      expect(redirect.status).toBe(307);
      expect((await fetch(redirect.headers.get('location')!)).status).toBe(200);
    }

    // A job cancelled as soon as it is created (NEW or PROCESSING: either path of DELETE).
    const cancelled = await client.createOk();
    expect((await client.delete(cancelled.id)).status).toBe(204);
    await waitForStatus(client, cancelled.id, ['CANCELLED', 'SUCCEEDED']);

    // A job whose worker keeps failing ends FAILED through FailExport.
    await injectFault({
      function: 'ExportShardFunction',
      count: -1,
      when: 'before',
      errorType: 'Error',
      errorMessage: 'fails for the IAM test',
    });
    const failing = await client.createOk();
    await waitForStatus(client, failing.id, ['FAILED']);
    await clearFaults();

    // Each ended job is announced on the bus; then a finished job is deleted.
    for (const job of [succeeded, failing]) {
      await waitForEvents(
        ({ event }) =>
          event['detail-type'] === JOB_EVENTS.jobEnded &&
          (event.detail as JobEndedDetail).id === job.id &&
          (event.detail as JobEndedDetail).imsOrgId === tenant.orgId,
      );
    }
    expect((await client.delete(succeeded.id)).status).toBe(204);
    expect((await client.get(succeeded.id)).status).toBe(404);

    const calls = (await (await controlRequest(dataDirectory, 'calls')).json()) as AwsCall[];
    expect(calls).toEqual(stack.awsCalls!.list());
    // The journal saw what the walk above must have made: the test cannot pass on an empty one.
    const callerOf = (description: RegExp) =>
      stack.template
        .ofType('AWS::Lambda::Function')
        .find(([, resource]) => description.test(String(resource.Properties?.Description)))![0];
    const made = (caller: string, action: string, resource: RegExp) =>
      calls.some((call) => call.caller === caller && call.action === action && resource.test(call.resource));
    const expected: Array<[string, string, RegExp]> = [
      [callerOf(/^POST \/export\/jobs:/), 'dynamodb:PutItem', /:table\/ExportJobsJobTable/],
      [callerOf(/^POST \/export\/jobs:/), 'dynamodb:PutItem', /:table\/ExportJobsIdempotencyTable/],
      [callerOf(/^GET \/export\/jobs:/), 'dynamodb:Query', /:table\/ExportJobsJobTable\w+\/index\/\w+$/],
      [callerOf(/^GET \/export\/jobs\/\{id\}/), 'dynamodb:GetItem', /:table\/ExportJobsJobTable/],
      [callerOf(/^DELETE \/export\/jobs\/\{id\}/), 'dynamodb:DeleteItem', /:table\/ExportJobsJobTable/],
      [callerOf(/^GET \/export\/batches\//), 'dynamodb:GetItem', /:table\/ExportJobsJobTable/],
      [callerOf(/^GET \/export\/batches\//), 's3:GetObject', /\/manifest\.json$/],
      // The presigned downloads: made by the client, signed (and so authorised) by the function.
      [callerOf(/^GET \/export\/files\//), 's3:GetObject', /\/part-[^/]+$/],
      [callerOf(/^GET \/export\/files\//), 's3:GetObject', /\/manifest\.json$/],
      [callerOf(/Starts the workflow/), 'states:StartExecution', /:stateMachine:/],
      // The tenant's store layout: its occupied shards, read in one GetItem (no shard probed).
      [callerOf(/plan the shards/), 'dynamodb:GetItem', /:table\/ExportJobsProfileStoreProfileTable/],
      // The indexer adds inserted profiles' buckets to their tenants' store layouts.
      [callerOf(/membership index in step/), 'dynamodb:UpdateItem', /:table\/ExportJobsProfileStoreProfileTable/],
      [callerOf(/export one shard/), 's3:PutObject', /^arn:aws:s3:::exports\w*\/.+\/part-/],
      [callerOf(/export one shard/), 'dynamodb:Query', /:table\/ExportJobsProfileStoreEventTable/],
      [callerOf(/manifests and SUCCEEDED/), 's3:PutObject', /\/manifest\.json$/],
      [callerOf(/FAILED with errors/), 'dynamodb:UpdateItem', /:table\/ExportJobsJobTable/],
      [callerOf(/Puts an event on EventBridge/), 'events:PutEvents', /:event-bus\/default$/],
      // Lambda reads the job table's stream with the starter's and the publisher's roles.
      [callerOf(/Starts the workflow/), 'dynamodb:GetRecords', /:table\/ExportJobsJobTable\w+\/stream\//],
      [callerOf(/Puts an event on EventBridge/), 'dynamodb:GetRecords', /:table\/ExportJobsJobTable\w+\/stream\//],
    ];
    // Each expectation is compared whole, so a failure names the call that was not made.
    for (const [caller, action, resource] of expected) {
      const call = { caller, action, resource: String(resource) };
      expect({ ...call, made: made(caller, action, resource) }).toEqual({ ...call, made: true });
    }
    expect(made(callerOf(/plan the shards/), 'dynamodb:Query', /:table\/ExportJobsProfileStoreProfileTable/)).toBe(
      false,
    );
    const stateMachine = stack.template.ofType('AWS::StepFunctions::StateMachine')[0][0];
    // Its Task invocations, and the child executions of the Distributed Map.
    expect(new Set(calls.filter((call) => call.caller === stateMachine).map((call) => call.action))).toEqual(
      new Set(['lambda:InvokeFunction', 'states:StartExecution', 'states:DescribeExecution']),
    );

    const verdicts = await simulateCalls(stack.template, calls);
    // KMS calls implied by S3 (the bucket's own key) and DynamoDB (the service key) are checked too.
    expect(verdicts.filter((verdict) => verdict.impliedBy && verdict.action.startsWith('kms:')).length).toBeGreaterThan(
      5,
    );
    expect(verdicts.filter((verdict) => verdict.result !== 'Allowed')).toEqual([]);
  });
});
