import { XDM_PROFILE_UNION } from '../../lambda/contract/xdm-schemas';
import { DEMO_DATASETS } from '../../bin/support/demo-datasets';
import {
  TenantClient,
  createdDatasetId,
  datasetRequest,
  expectProblem,
  inParallel,
  minimalJob,
  request,
} from './support/api-client';

jest.setTimeout(120_000);

/** The reference documents' request (`004_…`): a Parquet dataset of the profile union schema. */
const REFERENCE_DATASET = {
  name: 'Profile Data Export',
  schemaRef: { id: XDM_PROFILE_UNION.id, contentType: 'application/vnd.adobe.xed+json;version=1' },
  fileDescription: { persisted: true, containerFormat: 'parquet', format: 'parquet' },
  aspect: 'production',
};

describe('POST /dataSets and GET /dataSets/{id}', () => {
  it('GIVEN the reference documents\' request WHEN posted THEN it is a 201 with ["@/dataSets/<id>"], and GET answers the dataset keyed by that id', async () => {
    const client = new TenantClient();
    const created = await client.createDatasetRequest(REFERENCE_DATASET);
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json');
    expect(created.body).toEqual([expect.stringMatching(/^@\/dataSets\/[0-9a-f]{24}$/)]);
    const id = createdDatasetId(created);

    const read = await client.getDataset(id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      [id]: {
        ...REFERENCE_DATASET,
        imsOrg: client.tenant.orgId,
        sandboxName: client.tenant.sandboxName,
        created: expect.any(Number),
        updated: expect.any(Number),
      },
    });
    expect(Math.abs(read.body[id].created - Date.now())).toBeLessThan(60_000);
  });

  it('GIVEN a request without fileDescription WHEN posted THEN the dataset holds Parquet, the default', async () => {
    const client = new TenantClient();
    const id = createdDatasetId(
      await client.createDatasetRequest({ name: 'defaults', schemaRef: { id: XDM_PROFILE_UNION.id } }),
    );
    expect((await client.getDataset(id)).body[id].fileDescription).toEqual({ format: 'parquet' });
  });

  it('GIVEN an unknown schema, a bad format, an unknown field and no name WHEN posted THEN one 400 lists every problem and no dataset is created', async () => {
    const client = new TenantClient();
    const problem = expectProblem(
      await client.createDatasetRequest({
        schemaRef: { id: 'https://ns.adobe.com/xdm/context/unknown' },
        fileDescription: { format: 'csv' },
        colour: 'blue',
      }),
      400,
    );
    expect(problem.errors.map(({ path, code }) => [path, code]).sort()).toEqual(
      [
        ['/colour', 'unknown_field'],
        ['/fileDescription/format', 'enum'],
        ['/name', 'required'],
        ['/schemaRef/id', 'unknown_schema'],
      ].sort(),
    );
    expect(Object.keys((await client.listDatasets()).body)).toEqual(['_page']);
  });

  it('GIVEN a body not sent as JSON WHEN posted THEN it is a 415', async () => {
    const client = new TenantClient();
    const response = await request('POST', '/dataSets', {
      tenant: client.tenant,
      rawBody: JSON.stringify(datasetRequest()),
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(response, 415);
  });

  it("GIVEN another tenant's dataset (another org, or the same org's other sandbox) or an unknown id WHEN read THEN it is a 404", async () => {
    const owner = new TenantClient();
    const id = await owner.datasetId();
    for (const other of [
      new TenantClient(),
      new TenantClient({ orgId: owner.tenant.orgId, sandboxName: 'other-sandbox' }),
    ]) {
      expect(expectProblem(await other.getDataset(id), 404).errors).toEqual([
        expect.objectContaining({ path: '/id', code: 'not_found' }),
      ]);
    }
    expectProblem(await owner.getDataset('0'.repeat(24)), 404);
  });

  it.each(['5B7C86968F7B6501E21BA9DF', 'abc', '5b7c86968f7b6501e21ba9df0'])(
    'GIVEN the id %j WHEN read THEN it is a 400 naming /id',
    async (id) => {
      const problem = expectProblem(await new TenantClient().getDataset(id), 400);
      expect(problem.errors).toEqual([expect.objectContaining({ path: '/id', code: 'dataset_id' })]);
    },
  );

  it("GIVEN the local stack's demo tenant WHEN it reads the README's dataset THEN it is there, so the README's job request works", async () => {
    const demo = new TenantClient({ orgId: 'demo-org@AdobeOrg', sandboxName: 'prod' });
    const [readme] = DEMO_DATASETS;
    const read = await demo.getDataset(readme.id);
    expect(read.status).toBe(200);
    expect(read.body[readme.id]).toMatchObject({
      schemaRef: { id: XDM_PROFILE_UNION.id },
      fileDescription: { format: readme.format },
    });
    const job = await demo.createOk(minimalJob(readme.id));
    expect(job.destination).toMatchObject({ datasetId: readme.id, format: readme.format });
  });
});

describe('GET /dataSets', () => {
  it('GIVEN 7 datasets, some created while walking, WHEN pages of 3 are followed through _page.next THEN each dataset that existed comes exactly once, newest first, keyed by id', async () => {
    const client = new TenantClient();
    const ids = await inParallel(7, 1, () => client.newDataset());
    await new TenantClient().datasetId(); // another tenant's: never listed here
    const walked: string[] = [];
    let response = await client.listDatasets('?limit=3');
    for (let page = 0; page < 10; page++) {
      expect(response.status).toBe(200);
      const { _page, ...datasets } = response.body;
      walked.push(...Object.keys(datasets));
      for (const dataset of Object.values(datasets) as Array<{ imsOrg: string }>) {
        expect(dataset.imsOrg).toBe(client.tenant.orgId);
      }
      expect(_page).toEqual({ limit: 3, count: Object.keys(datasets).length, next: expect.any(String) });
      if (page === 0) await client.newDataset(); // newer than the walk's start: not on its later pages
      if (_page.next === '') break;
      expect(_page.next).toMatch(/^\/local\/dataSets\?limit=3&start=[0-9a-f]{24}$/);
      response = await client.follow(_page.next, '/dataSets');
    }
    expect(walked).toEqual([...ids].reverse());
  });

  it('GIVEN no limit WHEN listed THEN the page holds up to 50', async () => {
    const client = new TenantClient();
    await client.datasetId();
    const response = await client.listDatasets();
    expect(response.body._page).toEqual({ limit: 50, count: 1, next: '' });
  });

  it.each([
    ['?limit=0', '/limit'],
    ['?limit=101', '/limit'],
    ['?limit=ten', '/limit'],
    ['?start=1538573416687_722', '/start'],
    ['?offset=2', '/offset'],
  ])('GIVEN %s WHEN listed THEN it is a 400 naming %s', async (query, path) => {
    const problem = expectProblem(await new TenantClient().listDatasets(query), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ path })]);
  });
});

describe("POST /export/jobs checks the job's dataset", () => {
  it('GIVEN a dataset id the tenant does not have WHEN a job is created THEN it is a 422 naming /destination/datasetId, and no job exists', async () => {
    const client = new TenantClient();
    const problem = expectProblem(await client.create(minimalJob('0'.repeat(24))), 422);
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: '/destination/datasetId', code: 'unknown_dataset' }),
    ]);
    expect((await client.list()).body.records).toEqual([]);
  });

  it("GIVEN another tenant's dataset (spelt dataSetId) WHEN a job is created THEN it is a 422 naming /destination/datasetId", async () => {
    const othersDataset = await new TenantClient().datasetId();
    const problem = expectProblem(
      await new TenantClient().create({
        destination: { dataSetId: othersDataset },
        schema: { name: XDM_PROFILE_UNION.exportName },
      }),
      422,
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: '/destination/datasetId' })]);
  });

  it("GIVEN a schema.name that is not the dataset's schema WHEN a job is created THEN it is a 422 naming /schema/name", async () => {
    const client = new TenantClient();
    const problem = expectProblem(
      await client.create({ ...(await client.minimalJob()), schema: { name: '_xdm.context.experienceevent' } }),
      422,
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: '/schema/name', code: 'schema_mismatch' })]);
  });

  it('GIVEN an unknown dataset and an unknown schema name WHEN a job is created THEN one 422 lists both', async () => {
    const problem = expectProblem(
      await new TenantClient().create({ destination: { datasetId: '0'.repeat(24) }, schema: { name: 's' } }),
      422,
    );
    expect(problem.errors.map((error) => error.path)).toEqual(['/destination/datasetId', '/schema/name']);
  });

  it("GIVEN a Parquet and a JSON Lines dataset WHEN a job is created into each THEN each records its dataset's format", async () => {
    const client = new TenantClient();
    for (const format of ['parquet', 'json'] as const) {
      const job = await client.createOk(minimalJob(await client.newDataset(format)));
      expect(job.destination.format).toBe(format);
      expect((await client.get(job.id)).body.destination.format).toBe(format);
    }
  });
});
