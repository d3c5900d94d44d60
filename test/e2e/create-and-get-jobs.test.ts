import { TenantClient, minimalJob, baseUrl, expectProblem, request } from './support/api-client';
import { holdingExports } from './support/local-stack-control';

jest.setTimeout(60_000);

/** The reference documents' request, into `datasetId`. */
const fullRequest = (datasetId: string) => ({
  fields: 'identities.id, personalEmail.address',
  mergePolicy: { id: 'timestampOrdered-none-mp', version: 1 },
  filter: {
    segments: [{ segmentId: '52c26d0d-45f2-47a2-ab30-ed06abc981ff', segmentNs: 'ups', status: ['realized'] }],
    segmentQualificationTime: { startTime: '2018-01-01T00:00:00Z', endTime: '2018-02-01T00:00:00Z' },
    fromIngestTimestamp: '2018-01-01T00:00:00Z',
    emptyProfiles: true,
  },
  additionalFields: {
    eventList: {
      fields: '_id, _experience',
      filter: { fromIngestTimestamp: '2018-01-01T00:00:00Z', toIngestTimestamp: '2020-01-01T00:00:00Z' },
    },
  },
  destination: { datasetId, segmentPerBatch: false },
  schema: { name: '_xdm.context.profile' },
  evaluationInfo: { segmentation: false },
});

/** A dataset id of no tenant, for requests refused before any dataset is looked at. */
const ANY_DATASET_ID = '5b7c86968f7b6501e21ba9df';

describe('POST /export/jobs', () => {
  it('creates a NEW job from the reference request, with its batch, request id and the format of its Parquet dataset', async () => {
    const client = new TenantClient();
    const datasetId = await client.newDataset('parquet');
    const reference = fullRequest(datasetId);
    const response = await client.create(reference);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const job = response.body;
    expect(job).toEqual({
      id: expect.any(Number),
      jobType: 'BATCH',
      destination: {
        datasetId,
        segmentPerBatch: false,
        format: 'parquet',
        batchId: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
      fields: 'identities.id,personalEmail.address',
      schema: { name: '_xdm.context.profile' },
      imsOrgId: client.tenant.orgId,
      sandboxName: 'prod',
      status: 'NEW',
      filter: reference.filter,
      additionalFields: { eventList: { ...reference.additionalFields.eventList, fields: '_id,_experience' } },
      mergePolicy: { id: 'timestampOrdered-none-mp', version: 1 },
      evaluationInfo: { segmentation: false },
      profileInstanceId: 'ups',
      errors: [],
      metrics: { totalTime: { startTimeInMs: job.creationTime } },
      computeGatewayJobId: {
        exportJob: expect.stringMatching(/^arn:aws:states:[^:]+:\d+:execution:[^:]+:job-[0-9a-f]{16}-\d+-\d+$/),
      },
      creationTime: expect.any(Number),
      updateTime: expect.any(Number),
      requestId: response.headers.get('x-amzn-requestid'),
    });
    expect(job.id).toBeGreaterThan(0);
    expect(Math.abs(job.creationTime - Date.now())).toBeLessThan(60_000);
  });

  it('fills in the defaults of a minimal request, and the format of its (JSON Lines) dataset', async () => {
    const job = await new TenantClient().createOk();
    expect(job).toMatchObject({
      filter: { emptyProfiles: false },
      destination: { segmentPerBatch: false, format: 'json' },
      mergePolicy: { id: 'timestampOrdered-none-mp', version: 1 },
      evaluationInfo: { segmentation: false },
      profileInstanceId: 'ups',
    });
    expect(job).not.toHaveProperty('fields');
  });

  it('assigns one batch per segment, accepts dataSetId and records x-profile-instance-id', async () => {
    const client = new TenantClient();
    const response = await client.create(
      {
        filter: {
          segments: [
            { segmentId: 'segment1', segmentNs: 'ups' },
            { segmentId: 'segment2', segmentNs: 'AdCloud', status: ['exited'] },
          ],
        },
        destination: { dataSetId: await client.datasetId(), segmentPerBatch: true },
        schema: { name: '_xdm.context.profile' },
      },
      { 'x-profile-instance-id': 'custom-instance' },
    );
    expect(response.status).toBe(200);
    const batches = response.body.destination.batches!;
    expect(response.body.destination).toMatchObject({ datasetId: await client.datasetId(), segmentPerBatch: true });
    expect(batches.map(({ batchId, ...rest }) => rest)).toEqual([
      { segmentId: 'segment1', segmentNs: 'ups', status: ['realized'] },
      { segmentId: 'segment2', segmentNs: 'AdCloud', status: ['exited'] },
    ]);
    expect(new Set(batches.map((batch) => batch.batchId)).size).toBe(2);
    expect(response.body.profileInstanceId).toBe('custom-instance');
  });

  it('gives concurrent creations distinct ids', async () => {
    const client = new TenantClient();
    const jobs = await Promise.all(Array.from({ length: 20 }, () => client.createOk()));
    expect(new Set(jobs.map((job) => job.id)).size).toBe(20);
  });

  it('lists every problem of an invalid body with its JSON pointer', async () => {
    const response = await new TenantClient().create({
      bogus: 1,
      fields: 'a,,b',
      filter: {
        segments: [],
        segmentQualificationTime: { startTime: '2019-02-01T00:00:00Z', endTime: 'soon' },
        fromIngestTimestamp: '2019-02-01T00:00:00Z',
      },
      additionalFields: {
        eventList: {
          filter: { fromIngestTimestamp: '2020-01-01T00:00:00Z', toIngestTimestamp: '2019-01-01T00:00:00Z' },
        },
      },
      destination: { segmentPerBatch: 'yes' },
    });
    const problem = expectProblem(response, 400);
    expect(problem.errors.map((e) => e.path).sort()).toEqual(
      [
        '/additionalFields/eventList/filter/fromIngestTimestamp',
        '/bogus',
        '/destination/datasetId',
        '/destination/segmentPerBatch',
        '/fields',
        '/filter/segmentQualificationTime/endTime',
        '/filter/segments',
        '/schema',
      ].sort(),
    );
  });

  it('refuses a start time after the end time', async () => {
    const client = new TenantClient();
    const problem = expectProblem(
      await client.create({
        ...(await client.minimalJob()),
        filter: {
          segments: [{ segmentId: 's' }],
          segmentQualificationTime: { startTime: '2018-02-01T00:00:00Z', endTime: '2018-01-01T00:00:00Z' },
        },
      }),
      400,
    );
    expect(problem.errors).toEqual([
      { path: '/filter/segmentQualificationTime/startTime', code: 'order', message: 'must not be after endTime' },
    ]);
  });

  it('refuses malformed JSON, a non-object body and an empty body', async () => {
    const client = new TenantClient();
    for (const rawBody of ['{"destination":', '[1,2]', '']) {
      const response = await request('POST', '/export/jobs', {
        tenant: client.tenant,
        rawBody,
        headers: { 'content-type': 'application/json' },
      });
      expect(expectProblem(response, 400).errors.length).toBeGreaterThan(0);
    }
  });

  it('refuses a body over 256 KiB', async () => {
    const response = await new TenantClient().create({
      ...minimalJob(ANY_DATASET_ID),
      fields: `a${',a'.repeat(140 * 1024)}`,
    });
    expect(expectProblem(response, 400).errors).toEqual([expect.objectContaining({ code: 'too_large', path: '' })]);
  });

  it('refuses a body not sent as JSON with 415', async () => {
    const client = new TenantClient();
    const response = await request('POST', '/export/jobs', {
      tenant: client.tenant,
      rawBody: JSON.stringify(minimalJob(ANY_DATASET_ID)),
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(response, 415);
  });

  it('GIVEN segmentation at export without listed segments WHEN created THEN 422 says it needs the segments to evaluate', async () => {
    const client = new TenantClient();
    const response = await client.create({ ...(await client.minimalJob()), evaluationInfo: { segmentation: true } });
    expect(expectProblem(response, 422).errors).toEqual([
      expect.objectContaining({ path: '/filter/segments', code: 'requires' }),
    ]);
  });

  it('loses nothing when refusing: no job is created by an invalid request', async () => {
    const client = new TenantClient();
    await client.create({ destination: {} });
    const list = await client.list();
    expect(list.body.records).toEqual([]);
  });
});

describe('tenancy headers', () => {
  it.each([
    ['both', {}, ['/x-gw-ims-org-id', '/x-sandbox-name']],
    ['the org', { 'x-sandbox-name': 'prod' }, ['/x-gw-ims-org-id']],
    ['the sandbox', { 'x-gw-ims-org-id': 'org@AdobeOrg' }, ['/x-sandbox-name']],
  ])('answers 400 naming the missing header when %s is missing', async (_, headers, paths) => {
    for (const [method, path] of [
      ['GET', '/export/jobs'],
      ['GET', '/export/jobs/1'],
      ['DELETE', '/export/jobs/1'],
    ]) {
      const problem = expectProblem(await request(method, path, { headers }), 400);
      expect(problem.errors.map((error) => error.path)).toEqual(paths);
    }
    const create = expectProblem(
      await request('POST', '/export/jobs', { headers, body: minimalJob(ANY_DATASET_ID) }),
      400,
    );
    expect(create.errors.map((error) => error.path)).toEqual(paths);
  });
});

describe('GET /export/jobs/{id}', () => {
  it('returns the job', async () => {
    const client = new TenantClient();
    await holdingExports(async () => {
      const created = await client.createOk();
      const response = await client.get(created.id);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(created);
    });
  });

  it("answers 404 for a missing job and for another tenant's job", async () => {
    const owner = new TenantClient();
    const job = await owner.createOk();
    expectProblem(await new TenantClient().get(job.id), 404);
    expectProblem(await new TenantClient({ orgId: owner.tenant.orgId, sandboxName: 'other-sandbox' }).get(job.id), 404);
    expectProblem(await owner.get(job.id + 1000), 404);
  });

  it.each(['0', '-4', 'abc', '1.5', '99999999999999999'])('answers 400 for the id %j', async (id) => {
    const problem = expectProblem(await new TenantClient().get(id), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ path: '/id' })]);
  });
});

describe('routes', () => {
  it('answers an unknown path or method with a 404 problem', async () => {
    const client = new TenantClient();
    expectProblem(await request('GET', '/export/other', { tenant: client.tenant }), 404);
    expectProblem(await request('PUT', '/export/jobs/1', { tenant: client.tenant, body: {} }), 404);
  });

  it('GIVEN the execute-api layout WHEN a client calls /<stage>/export/jobs or /export/jobs THEN only the stage path serves the API, as on AWS', async () => {
    const client = new TenantClient();
    await client.createOk();
    const root = new URL(baseUrl()).origin;
    const staged = await request('GET', '/local/export/jobs', { tenant: client.tenant, baseUrl: root });
    expect(staged.status).toBe(200);
    expect(staged.body.records).toHaveLength(1);
    const problem = expectProblem(await request('GET', '/export/jobs', { tenant: client.tenant, baseUrl: root }), 404);
    expect(problem.errors).toEqual([expect.objectContaining({ path: '', code: 'not-found' })]);
  });
});
