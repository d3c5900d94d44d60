import { TenantClient, expectProblem, newTenant, request, type TestTenant } from './support/api-client';

jest.setTimeout(60_000);

const BUILT_IN = { id: 'timestampOrdered-none-mp', version: 1 };

const TIMESTAMP_ORDERED = {
  name: 'Newest wins',
  schema: { name: '_xdm.context.profile' },
  attributeMerge: { type: 'timestampOrdered' },
};
const CRM_FIRST = {
  name: 'CRM first',
  schema: { name: '_xdm.context.profile' },
  identityGraph: { type: 'none' },
  attributeMerge: { type: 'dataSetPrecedence', order: ['crm-dataset', 'web-dataset'] },
};

const policies = (tenant: TestTenant) => ({
  list: (query = '') => request('GET', `/config/mergePolicies${query}`, { tenant }),
  create: (body: unknown) => request('POST', '/config/mergePolicies', { tenant, body }),
  get: (id: string) => request('GET', `/config/mergePolicies/${id}`, { tenant }),
  patch: (id: string, body: unknown) => request('PATCH', `/config/mergePolicies/${id}`, { tenant, body }),
  remove: (id: string) => request('DELETE', `/config/mergePolicies/${id}`, { tenant }),
});

const segments = (tenant: TestTenant) => ({
  list: (query = '') => request('GET', `/segment/definitions${query}`, { tenant }),
  create: (body: unknown) => request('POST', '/segment/definitions', { tenant, body }),
  get: (id: string) => request('GET', `/segment/definitions/${id}`, { tenant }),
  patch: (id: string, body: unknown) => request('PATCH', `/segment/definitions/${id}`, { tenant, body }),
  remove: (id: string) => request('DELETE', `/segment/definitions/${id}`, { tenant }),
});

const definition = (value: string, extra: Record<string, unknown> = {}) => ({
  name: 'Gold customers in the US',
  schema: { name: '_xdm.context.profile' },
  expression: { type: 'PQL', format: 'pql/text', value },
  ...extra,
});

describe('/config/mergePolicies', () => {
  it('GIVEN a tenant without policies WHEN it lists them THEN it has the built-in timestampOrdered default only', async () => {
    const response = await policies(newTenant()).list();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      children: [
        {
          ...BUILT_IN,
          name: expect.any(String),
          schema: { name: '_xdm.context.profile' },
          identityGraph: { type: 'none' },
          attributeMerge: { type: 'timestampOrdered' },
          default: true,
          updateEpoch: 0,
        },
      ],
      _page: { count: 1, next: '' },
      _links: { next: { href: '' } },
    });
  });

  it('GIVEN a new policy WHEN it is read, patched and deleted THEN each update bumps its version and it is gone after', async () => {
    const api = policies(newTenant());
    const created = await api.create(CRM_FIRST);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...CRM_FIRST,
      version: 1,
      default: false,
      updateEpoch: expect.any(Number),
    });
    const { id } = created.body;
    expect((await api.get(id)).body).toEqual(created.body);

    const renamed = await api.patch(id, { name: 'CRM, then web' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      id,
      name: 'CRM, then web',
      version: 2,
      attributeMerge: CRM_FIRST.attributeMerge,
    });
    const reordered = await api.patch(id, { attributeMerge: { type: 'dataSetPrecedence', order: ['web-dataset'] } });
    expect(reordered.body).toMatchObject({ version: 3, attributeMerge: { order: ['web-dataset'] } });
    expect((await api.get(id)).body).toEqual(reordered.body);

    const listed = await api.list();
    expect(listed.body.children.map((policy: { id: string }) => policy.id)).toEqual([BUILT_IN.id, id]);

    const deleted = await api.remove(id);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expectProblem(await api.get(id), 404);
    expectProblem(await api.remove(id), 404);
  });

  it('GIVEN a default policy WHEN a second default is created or patched in THEN it is a 409, and the first stays the only default', async () => {
    const api = policies(newTenant());
    const first = (await api.create({ ...TIMESTAMP_ORDERED, default: true })).body;
    const conflict = expectProblem(await api.create({ ...CRM_FIRST, default: true }), 409);
    expect(conflict.errors).toEqual([expect.objectContaining({ path: '/default', code: 'default_taken' })]);
    const second = (await api.create(CRM_FIRST)).body;
    expectProblem(await api.patch(second.id, { default: true }), 409);

    const defaults = (await api.list()).body.children.filter((policy: { default: boolean }) => policy.default);
    expect(defaults.map((policy: { id: string }) => policy.id)).toEqual([first.id]);

    // Releasing the first lets the second take over; the built-in one is default again in between.
    expect((await api.patch(first.id, { default: false })).body).toMatchObject({ default: false, version: 2 });
    expect((await api.get(BUILT_IN.id)).body.default).toBe(true);
    expect((await api.patch(second.id, { default: true })).body).toMatchObject({ default: true, version: 2 });
    expect((await api.get(BUILT_IN.id)).body.default).toBe(false);
  });

  it('GIVEN two creates of a default at once WHEN both run THEN exactly one becomes the default', async () => {
    const api = policies(newTenant());
    const responses = await Promise.all([
      api.create({ ...TIMESTAMP_ORDERED, default: true }),
      api.create({ ...CRM_FIRST, default: true }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
  });

  it('GIVEN the built-in policy WHEN it is patched or deleted THEN it is a 409: it is read-only', async () => {
    const api = policies(newTenant());
    expectProblem(await api.patch(BUILT_IN.id, { name: 'mine' }), 409);
    expectProblem(await api.remove(BUILT_IN.id), 409);
  });

  it('GIVEN invalid bodies WHEN they are posted or patched THEN it is a 400 listing each problem', async () => {
    const api = policies(newTenant());
    const invalid = expectProblem(
      await api.create({ name: '', schema: { name: 'other' }, attributeMerge: { type: 'dataSetPrecedence' }, x: 1 }),
      400,
    );
    expect(invalid.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      ['/name', '/schema/name', '/attributeMerge', '/x'].sort(),
    );
    const { id } = (await api.create(CRM_FIRST)).body;
    expectProblem(await api.patch(id, {}), 400);
    expectProblem(await api.patch(id, { schema: { name: '_xdm.context.profile' } }), 400);
    expectProblem(await api.get('not an id!'), 400);
  });

  it("GIVEN another tenant's policy WHEN it is read, patched or deleted THEN it is a 404", async () => {
    const owner = policies(newTenant());
    const { id } = (await owner.create(CRM_FIRST)).body;
    const stranger = policies(newTenant());
    expectProblem(await stranger.get(id), 404);
    expectProblem(await stranger.patch(id, { name: 'x' }), 404);
    expectProblem(await stranger.remove(id), 404);
    expect((await owner.get(id)).status).toBe(200);
  });

  it('GIVEN more policies than a page WHEN the pages are walked with _links.next THEN each policy comes once', async () => {
    const tenant = newTenant();
    const api = policies(tenant);
    const created = [];
    for (let index = 0; index < 4; index++)
      created.push((await api.create({ ...CRM_FIRST, name: `p${index}` })).body.id);
    const seen: string[] = [];
    let page = await api.list('?limit=2');
    for (let pages = 0; pages < 10; pages++) {
      seen.push(...page.body.children.map((policy: { id: string }) => policy.id));
      if (page.body._links.next.href === '') break;
      expect(page.body._links.next.href).toMatch(/\/config\/mergePolicies\?limit=2&start=/);
      page = await api.list(page.body._links.next.href.slice(page.body._links.next.href.indexOf('?')));
    }
    expect(seen.sort()).toEqual([BUILT_IN.id, ...created].sort());
  });
});

describe('POST /export/jobs: the merge policy of a job', () => {
  it('GIVEN no mergePolicy WHEN a job is created THEN it records the built-in default as { id, version }', async () => {
    const client = new TenantClient();
    const job = await client.createOk(await client.minimalJob());
    expect(job.mergePolicy).toEqual(BUILT_IN);
  });

  it("GIVEN the tenant's own default WHEN a job names no policy THEN it records that policy and its current version", async () => {
    const client = new TenantClient();
    const api = policies(client.tenant);
    const mine = (await api.create({ ...CRM_FIRST, default: true })).body;
    await api.patch(mine.id, { name: 'renamed' });
    expect((await client.createOk(await client.minimalJob())).mergePolicy).toEqual({ id: mine.id, version: 2 });
  });

  it('GIVEN a policy named without a version WHEN a job is created THEN its current version is recorded', async () => {
    const client = new TenantClient();
    const mine = (await policies(client.tenant).create(CRM_FIRST)).body;
    const job = await client.createOk({ ...(await client.minimalJob()), mergePolicy: { id: mine.id } });
    expect(job.mergePolicy).toEqual({ id: mine.id, version: 1 });
    const named = await client.createOk({ ...(await client.minimalJob()), mergePolicy: BUILT_IN });
    expect(named.mergePolicy).toEqual(BUILT_IN);
  });

  it('GIVEN a policy the tenant does not have WHEN a job names it THEN it is a 422 for /mergePolicy/id', async () => {
    const owner = new TenantClient();
    const theirs = (await policies(owner.tenant).create(CRM_FIRST)).body;
    for (const id of ['no-such-policy', theirs.id]) {
      const client = new TenantClient();
      const problem = expectProblem(await client.create({ ...(await client.minimalJob()), mergePolicy: { id } }), 422);
      expect(problem.errors).toEqual([expect.objectContaining({ path: '/mergePolicy/id', code: 'not_found' })]);
    }
  });

  it('GIVEN a version other than the current WHEN a job names it THEN it is a 422 for /mergePolicy/version', async () => {
    const client = new TenantClient();
    const mine = (await policies(client.tenant).create(CRM_FIRST)).body;
    await policies(client.tenant).patch(mine.id, { name: 'v2' });
    const problem = expectProblem(
      await client.create({ ...(await client.minimalJob()), mergePolicy: { id: mine.id, version: 1 } }),
      422,
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: '/mergePolicy/version', code: 'not_current' })]);
    expectProblem(
      await client.create({ ...(await client.minimalJob()), mergePolicy: { id: BUILT_IN.id, version: 2 } }),
      422,
    );
  });
});

describe('/segment/definitions', () => {
  it('GIVEN a definition in the PQL subset WHEN it is created, read, patched and deleted THEN each answer is the stored definition', async () => {
    const tenant = newTenant();
    const api = segments(tenant);
    const created = await api.create(
      definition('homeAddress.countryCode in ["US", "CA"] and loyalty.tier = "gold"', { description: 'VIPs' }),
    );
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...definition('homeAddress.countryCode in ["US", "CA"] and loyalty.tier = "gold"', { description: 'VIPs' }),
      mergePolicyId: BUILT_IN.id,
      creationTime: expect.any(Number),
      updateTime: created.body.creationTime,
    });
    const { id } = created.body;
    expect((await api.get(id)).body).toEqual(created.body);

    const value = 'xEvent.count(eventType = "commerce.purchases" and timestamp occurs < 30 days before now) >= 2';
    const patched = await api.patch(id, { expression: { type: 'PQL', format: 'pql/text', value } });
    expect(patched.status).toBe(200);
    expect(patched.body.expression.value).toBe(value);
    expect(patched.body.updateTime).toBeGreaterThan(created.body.updateTime);
    expect((await api.list()).body).toEqual({
      segments: [patched.body],
      page: { pageSize: 1, next: '' },
      link: { next: '' },
    });

    expect((await api.remove(id)).status).toBe(204);
    expectProblem(await api.get(id), 404);
  });

  it('GIVEN PQL outside the subset WHEN it is posted or patched in THEN it is a 400 pointing at the first unsupported construct', async () => {
    const api = segments(newTenant());
    const problem = expectProblem(await api.create(definition('loyalty.tier = "gold" and\n  city like "%es%"')), 400);
    expect(problem.errors).toEqual([
      {
        path: '/expression/value',
        code: 'pql_unsupported',
        message: expect.stringContaining('line 2, column 8 (offset 33)'),
        position: { offset: 33, line: 2, column: 8 },
      },
    ]);
    const { id } = (await api.create(definition('loyalty.points > 10'))).body;
    const patched = expectProblem(
      await api.patch(id, { expression: { type: 'PQL', format: 'pql/text', value: 'chain(xEvent, timestamp, [])' } }),
      400,
    );
    expect(patched.errors[0]).toMatchObject({ path: '/expression/value', position: { offset: 0, line: 1, column: 1 } });
    expect((await api.get(id)).body.expression.value).toBe('loyalty.points > 10');
  });

  it("GIVEN a merge policy WHEN a definition names it THEN it is recorded; another tenant's policy is a 422", async () => {
    const tenant = newTenant();
    const mine = (await policies(tenant).create(CRM_FIRST)).body;
    const created = await segments(tenant).create(definition('loyalty.points > 10', { mergePolicyId: mine.id }));
    expect(created.body.mergePolicyId).toBe(mine.id);
    const stranger = newTenant();
    const problem = expectProblem(
      await segments(stranger).create(definition('loyalty.points > 10', { mergePolicyId: mine.id })),
      422,
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: '/mergePolicyId' })]);
    expectProblem(await segments(stranger).get(created.body.id), 404);
  });
});
