import { XDM_PROFILE_UNION } from '../../lambda/contract/xdm-schemas';
import { toCreateDatasetCommand, parseCreateDatasetBody } from '../../lambda/domain/create-dataset-command';
import { toCreateJobCommand } from '../../lambda/domain/create-job-command';
import { isDatasetId, newDatasetId, parseDatasetId } from '../../lambda/domain/dataset-id';
import { DatasetNotFoundError, DomainError, UnprocessableRequestError } from '../../lambda/domain/errors';
import { jobDatasetFormat } from '../../lambda/domain/job-dataset';
import { parseListDatasetsQuery } from '../../lambda/domain/list-datasets-query';
import { createJob } from '../../lambda/domain/use-cases/create-job';
import { createDataset, getDataset, listDatasets } from '../../lambda/domain/use-cases/datasets';
import { InMemoryDatasetRepository, profileDataset } from './support/in-memory-dataset-repository';
import { InMemoryJobRepository } from './support/in-memory-job-repository';

const tenant = { orgId: 'org-a@AdobeOrg', sandboxName: 'prod' };
const otherTenant = { orgId: 'org-b@AdobeOrg', sandboxName: 'prod' };
const REFERENCE_BODY = {
  name: 'Profile Data Export',
  schemaRef: { id: XDM_PROFILE_UNION.id, contentType: 'application/vnd.adobe.xed+json;version=1' },
  fileDescription: { persisted: true, containerFormat: 'parquet', format: 'parquet' },
  aspect: 'production',
};

/** The problems a refused call lists, as [path, code]. */
function problemsOf(call: () => unknown): Array<[string, string]> {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error.errors.map((e) => [e.path, e.code]);
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('POST /dataSets body', () => {
  it("GIVEN the reference documents' request WHEN parsed THEN every field is kept", () => {
    expect(toCreateDatasetCommand(REFERENCE_BODY)).toEqual(REFERENCE_BODY);
  });

  it('GIVEN no fileDescription WHEN parsed THEN the dataset holds Parquet, the default', () => {
    expect(toCreateDatasetCommand({ name: 'n', schemaRef: { id: XDM_PROFILE_UNION.id } })).toEqual({
      name: 'n',
      schemaRef: { id: XDM_PROFILE_UNION.id },
      fileDescription: { format: 'parquet' },
    });
  });

  it('GIVEN an unknown schema, a bad format, an unknown field and no name WHEN parsed THEN one 400 lists all four', () => {
    expect(
      problemsOf(() =>
        toCreateDatasetCommand({
          schemaRef: { id: 'https://ns.adobe.com/xdm/context/experienceevent__union' },
          fileDescription: { format: 'csv' },
          colour: 'blue',
        }),
      ).sort(),
    ).toEqual(
      [
        ['/name', 'required'],
        ['/fileDescription/format', 'enum'],
        ['/colour', 'unknown_field'],
        ['/schemaRef/id', 'unknown_schema'],
      ].sort(),
    );
  });

  it('GIVEN malformed JSON or no body WHEN parsed THEN it is a 400 saying so', () => {
    expect(problemsOf(() => parseCreateDatasetBody('{"name":'))).toEqual([['', 'malformed_json']]);
    expect(problemsOf(() => parseCreateDatasetBody(undefined))).toEqual([['', 'required']]);
  });
});

describe('dataset ids', () => {
  it('GIVEN a time WHEN an id is made THEN it is 24 lowercase hex, its creation second and millisecond first', () => {
    const id = newDatasetId(Date.UTC(2018, 7, 21, 21, 39, 34, 123), () => Buffer.from('ffffffffffffff', 'hex'));
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(id).toBe(`${(Date.UTC(2018, 7, 21, 21, 39, 34) / 1000).toString(16)}07bfffffffffffff`.slice(0, 24));
    expect(isDatasetId(id)).toBe(true);
  });

  it('GIVEN ids made one millisecond apart (and in the same millisecond) WHEN sorted as strings THEN they follow creation time', () => {
    const times = [1_700_000_000_999, 1_700_000_001_000, 1_700_000_001_001, 1_700_000_001_001];
    const ids = times.map((time) => newDatasetId(time));
    expect([...ids].sort().slice(0, 2)).toEqual(ids.slice(0, 2));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[1] < ids[2] && ids[1] < ids[3]).toBe(true);
  });

  it.each(['5B7C86968F7B6501E21BA9DF', '5b7c86968f7b6501e21ba9d', 'x'.repeat(24), ''])(
    'GIVEN the path id %j WHEN parsed THEN it is a 400 naming /id',
    (id) => {
      expect(problemsOf(() => parseDatasetId(id))).toEqual([['/id', 'dataset_id']]);
    },
  );
});

describe('GET /dataSets query', () => {
  it('defaults to 50 datasets from the newest', () => {
    expect(parseListDatasetsQuery({})).toEqual({ limit: 50 });
  });

  it('reads limit and start', () => {
    expect(parseListDatasetsQuery({ limit: ['100'], start: ['5b7c86968f7b6501e21ba9df'] })).toEqual({
      limit: 100,
      start: '5b7c86968f7b6501e21ba9df',
    });
  });

  it.each([
    [{ limit: ['0'] }, '/limit', 'minimum'],
    [{ limit: ['101'] }, '/limit', 'maximum'],
    [{ limit: ['ten'] }, '/limit', 'type'],
    [{ start: ['1538573416687_722'] }, '/start', 'cursor'],
    [{ offset: ['1'] }, '/offset', 'unknown_field'],
    [{ limit: ['1', '2'] }, '/limit', 'repeated'],
  ])('GIVEN %j WHEN parsed THEN it is a 400 naming %s', (query, path, code) => {
    expect(problemsOf(() => parseListDatasetsQuery(query))).toContainEqual([path, code]);
  });
});

describe('dataset use cases', () => {
  function setup() {
    const repository = new InMemoryDatasetRepository();
    let now = 1_700_000_000_000;
    const dependencies = {
      repository,
      clock: { now: () => (now += 7) },
      newDatasetId: (ms: number) => newDatasetId(ms),
    };
    const create = async (forTenant = tenant) =>
      (await createDataset(dependencies, forTenant, toCreateDatasetCommand(REFERENCE_BODY)))[0].split('/').pop()!;
    return { repository, create };
  }

  it('GIVEN a created dataset WHEN it is read THEN it is keyed by its id, with its tenant and times; another tenant does not find it', async () => {
    const { repository, create } = setup();
    const id = await create();
    const read = await getDataset(repository, tenant, id);
    expect(Object.keys(read)).toEqual([id]);
    expect(read[id]).toEqual({
      ...REFERENCE_BODY,
      imsOrg: tenant.orgId,
      sandboxName: 'prod',
      created: expect.any(Number),
      updated: read[id].created,
    });
    await expect(getDataset(repository, otherTenant, id)).rejects.toBeInstanceOf(DatasetNotFoundError);
  });

  it('GIVEN 7 datasets WHEN pages of 3 are walked through _page.next THEN each comes once, newest first, and the last page has no next', async () => {
    const { repository, create } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await create());
    await create(otherTenant);
    const walked: string[] = [];
    let query: Record<string, string[]> = { limit: ['3'] };
    for (let page = 0; page < 5; page++) {
      const body = await listDatasets(repository, tenant, parseListDatasetsQuery(query), '/v1/dataSets');
      const { _page, ...datasets } = body as { _page: { next: string; count: number; limit: number } };
      walked.push(...Object.keys(datasets));
      expect(_page).toMatchObject({ limit: 3, count: Object.keys(datasets).length });
      if (_page.next === '') break;
      const next = new URL(_page.next, 'https://api.example.com');
      expect(next.pathname).toBe('/v1/dataSets');
      query = Object.fromEntries([...next.searchParams].map(([name, value]) => [name, [value]]));
    }
    expect(walked).toEqual([...ids].reverse());
  });
});

describe("a job's dataset", () => {
  const DATASET_ID = '5b7c86968f7b6501e21ba9df';
  const command = (body: Record<string, unknown> = {}) =>
    toCreateJobCommand({
      destination: { datasetId: DATASET_ID },
      schema: { name: XDM_PROFILE_UNION.exportName },
      ...body,
    });

  it("GIVEN a dataset of the job's schema WHEN checked THEN the job takes its format", () => {
    expect(jobDatasetFormat(command(), profileDataset(tenant, 'json'))).toBe('json');
    expect(jobDatasetFormat(command(), profileDataset(tenant, 'parquet'))).toBe('parquet');
  });

  it('GIVEN no such dataset and a schema name no known schema exports WHEN checked THEN one 422 lists both', () => {
    expect(() => jobDatasetFormat(command({ schema: { name: 's' } }), undefined)).toThrow(UnprocessableRequestError);
    expect(problemsOf(() => jobDatasetFormat(command({ schema: { name: 's' } }), undefined))).toEqual([
      ['/destination/datasetId', 'unknown_dataset'],
      ['/schema/name', 'unknown_schema'],
    ]);
  });

  it("GIVEN a dataset whose schema's export name is not the job's schema.name WHEN checked THEN it is a 422 for /schema/name", () => {
    expect(
      problemsOf(() => jobDatasetFormat(command({ schema: { name: '_xdm.context.other' } }), profileDataset(tenant))),
    ).toEqual([['/schema/name', 'schema_mismatch']]);
  });

  it('GIVEN a job into a dataset of another tenant WHEN created THEN it is refused before an id is taken, and the dataset was read once', async () => {
    const datasets = new InMemoryDatasetRepository();
    await datasets.insert(otherTenant, { id: DATASET_ID, dataset: profileDataset(otherTenant) });
    const reads: string[] = [];
    const repository = new InMemoryJobRepository();
    const dependencies = {
      repository,
      datasets: { get: (forTenant: typeof tenant, id: string) => (reads.push(id), datasets.get(forTenant, id)) },
      clock: { now: () => 1 },
      newBatchId: () => 'b',
      workflow: { executionIdFor: () => 'e' },
      resolveMergePolicy: async () => ({ id: 'mp', version: 1, attributeMerge: { type: 'timestampOrdered' as const } }),
      segmentDefinitions: { get: async () => undefined },
    };
    const input = { tenant, profileInstanceId: 'ups', requestId: 'r', command: command() };
    await expect(createJob(dependencies, input)).rejects.toBeInstanceOf(UnprocessableRequestError);
    expect(reads).toEqual([DATASET_ID]);
    expect(await repository.nextJobId(tenant)).toBe(1);
    const own = await createJob(dependencies, { ...input, tenant: otherTenant });
    expect(own.destination).toMatchObject({ datasetId: DATASET_ID, format: 'parquet' });
  });
});
