import {
  createMergePolicy,
  deleteMergePolicy,
  getMergePolicy,
  listMergePolicies,
  resolveJobMergePolicy,
  updateMergePolicy,
} from '../../lambda/domain/config/merge-policies';
import { createSegmentDefinition, updateSegmentDefinition } from '../../lambda/domain/config/segment-definitions';
import {
  ConflictError,
  InvalidRequestError,
  ResourceNotFoundError,
  UnprocessableRequestError,
} from '../../lambda/domain/errors';
import { InMemoryMergePolicies, InMemorySegmentDefinitions } from './support/in-memory-config-store';

const tenant = { orgId: 'org@AdobeOrg', sandboxName: 'prod' };
const SCHEMA = { name: '_xdm.context.profile' };
const TIMESTAMP = { name: 'newest', schema: SCHEMA, attributeMerge: { type: 'timestampOrdered' as const } };

function setup() {
  let id = 0;
  let now = 1_700_000_000_000;
  return {
    policies: new InMemoryMergePolicies(),
    definitions: new InMemorySegmentDefinitions(),
    clock: { now: () => (now += 1000) },
    newId: () => `id-${++id}`,
    builtIn: { id: 'builtin-mp', version: 3 },
  };
}

describe('merge policy use cases', () => {
  it('GIVEN no policy of its own WHEN the tenant lists or resolves THEN the built-in one is its default', async () => {
    const deps = setup();
    expect((await listMergePolicies(deps, tenant, { limit: 10 })).items).toEqual([
      expect.objectContaining({ id: 'builtin-mp', version: 3, default: true }),
    ]);
    expect(await resolveJobMergePolicy(deps, tenant, SCHEMA.name, undefined)).toEqual({
      id: 'builtin-mp',
      version: 3,
      attributeMerge: { type: 'timestampOrdered' },
    });
  });

  it('GIVEN a default of its own WHEN a job names none THEN it records that one at its current version', async () => {
    const deps = setup();
    const mine = await createMergePolicy(deps, tenant, { ...TIMESTAMP, default: true });
    await updateMergePolicy(deps, tenant, mine.id, { name: 'renamed' });
    expect(await resolveJobMergePolicy(deps, tenant, SCHEMA.name, undefined)).toEqual({
      id: mine.id,
      version: 2,
      attributeMerge: { type: 'timestampOrdered' },
    });
    expect((await getMergePolicy(deps, tenant, 'builtin-mp')).default).toBe(false);
  });

  it('GIVEN a named policy WHEN a job is resolved THEN unknown ids, other schemas and old versions are 422s', async () => {
    const deps = setup();
    const mine = await createMergePolicy(deps, tenant, TIMESTAMP);
    await updateMergePolicy(deps, tenant, mine.id, { name: 'v2' });
    await expect(resolveJobMergePolicy(deps, tenant, SCHEMA.name, { id: 'nope' })).rejects.toBeInstanceOf(
      UnprocessableRequestError,
    );
    await expect(resolveJobMergePolicy(deps, tenant, 'other.schema', { id: mine.id })).rejects.toThrow(/merges schema/);
    await expect(resolveJobMergePolicy(deps, tenant, SCHEMA.name, { id: mine.id, version: 1 })).rejects.toThrow(
      /version 2, not 1/,
    );
    expect(await resolveJobMergePolicy(deps, tenant, SCHEMA.name, { id: mine.id, version: 2 })).toEqual({
      id: mine.id,
      version: 2,
      attributeMerge: { type: 'timestampOrdered' },
    });
  });

  it('GIVEN a default WHEN another is made default THEN it is a conflict naming the default', async () => {
    const deps = setup();
    const first = await createMergePolicy(deps, tenant, { ...TIMESTAMP, default: true });
    await expect(createMergePolicy(deps, tenant, { ...TIMESTAMP, default: true })).rejects.toThrow(first.id);
    const second = await createMergePolicy(deps, tenant, TIMESTAMP);
    await expect(updateMergePolicy(deps, tenant, second.id, { default: true })).rejects.toBeInstanceOf(ConflictError);
    await deleteMergePolicy(deps, tenant, first.id);
    expect(await updateMergePolicy(deps, tenant, second.id, { default: true })).toMatchObject({ default: true });
  });

  it('GIVEN the built-in policy WHEN it is updated or deleted THEN it is a conflict; an unknown id is not found', async () => {
    const deps = setup();
    await expect(updateMergePolicy(deps, tenant, 'builtin-mp', { name: 'x' })).rejects.toBeInstanceOf(ConflictError);
    await expect(deleteMergePolicy(deps, tenant, 'builtin-mp')).rejects.toBeInstanceOf(ConflictError);
    await expect(getMergePolicy(deps, tenant, 'nope')).rejects.toBeInstanceOf(ResourceNotFoundError);
  });

  it('GIVEN more policies than a page WHEN listed THEN the first page holds the built-in one and limit - 1 others', async () => {
    const deps = setup();
    for (let index = 0; index < 3; index++) await createMergePolicy(deps, tenant, TIMESTAMP);
    const first = await listMergePolicies(deps, tenant, { limit: 2 });
    expect(first.items.map((policy) => policy.id)).toEqual(['builtin-mp', 'id-1']);
    const second = await listMergePolicies(deps, tenant, { limit: 2, after: first.next });
    expect(second.items.map((policy) => policy.id)).toEqual(['id-2', 'id-3']);
    expect(second.next).toBeUndefined();
  });

  it('GIVEN pages of one WHEN walked THEN the built-in policy comes first and every stored one follows once', async () => {
    const deps = setup();
    for (let index = 0; index < 2; index++) await createMergePolicy(deps, tenant, TIMESTAMP);
    const seen: string[] = [];
    let page = await listMergePolicies(deps, tenant, { limit: 1 });
    for (;;) {
      seen.push(...page.items.map((policy) => policy.id));
      if (page.next === undefined) break;
      page = await listMergePolicies(deps, tenant, { limit: 1, after: page.next });
    }
    expect(seen).toEqual(['builtin-mp', 'id-1', 'id-2']);
  });
});

describe('segment definition use cases', () => {
  const expression = (value: string) => ({ type: 'PQL' as const, format: 'pql/text' as const, value });

  it('GIVEN PQL outside the subset WHEN a definition is created THEN it is invalid at the position of the construct', async () => {
    const deps = setup();
    const attempt = createSegmentDefinition(deps, tenant, {
      name: 's',
      schema: SCHEMA,
      expression: expression('a = 1 or chain(x)'),
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(attempt).rejects.toMatchObject({
      errors: [{ path: '/expression/value', position: { offset: 9, line: 1, column: 10 } }],
    });
  });

  it('GIVEN no merge policy WHEN a definition is created THEN it records the tenant default; an unknown one is a 422', async () => {
    const deps = setup();
    const created = await createSegmentDefinition(deps, tenant, {
      name: 's',
      schema: SCHEMA,
      expression: expression('a = 1'),
    });
    expect(created.mergePolicyId).toBe('builtin-mp');
    await expect(
      createSegmentDefinition(deps, tenant, {
        name: 's',
        schema: SCHEMA,
        expression: expression('a = 1'),
        mergePolicyId: 'x',
      }),
    ).rejects.toBeInstanceOf(UnprocessableRequestError);
  });

  it('GIVEN a definition WHEN it is updated twice in the same millisecond THEN each update time is later than the last', async () => {
    const deps = { ...setup(), clock: { now: () => 5 } };
    const created = await createSegmentDefinition(deps, tenant, {
      name: 's',
      schema: SCHEMA,
      expression: expression('a = 1'),
    });
    const first = await updateSegmentDefinition(deps, tenant, created.id, { name: 't' });
    const second = await updateSegmentDefinition(deps, tenant, created.id, { name: 'u' });
    expect([created.updateTime, first.updateTime, second.updateTime]).toEqual([5, 6, 7]);
  });
});
