import { CreateJobRequestSchema } from '../../lambda/contract/create-job-request';
import { toPlainJsonSchema } from '../../lambda/contract/schema-helpers';
import { generate, Random, RawNumber, toJsonText } from '../unit/support/schema-generator';
import { TenantClient, expectProblem, minimalJob, request } from './support/api-client';

jest.setTimeout(120_000);

/**
 * The nastiest of the bodies the unit suite generates, sent over HTTP: the gateway's model
 * validation, the handler and the job store together answer 200 or a 4xx listing the problem.
 */
type Body = (datasetId: string) => string;

/** A body with the tenant's dataset in it, as toJsonText writes it. */
const withDataset =
  (extra: Record<string, unknown>): Body =>
  (datasetId) =>
    toJsonText({ ...minimalJob(datasetId), ...extra });

const HANDPICKED: Array<[string, Body]> = [
  ['mergePolicy.version 2^53', withDataset({ mergePolicy: { id: 'mp', version: 2 ** 53 } })],
  ['mergePolicy.version 1e300', withDataset({ mergePolicy: { id: 'mp', version: 1e300 } })],
  ['mergePolicy.version 1e400 (Infinity)', withDataset({ mergePolicy: { id: 'mp', version: new RawNumber('1e400') } })],
  [
    'mergePolicy.version 9007199254740993 (no double)',
    withDataset({ mergePolicy: { id: 'mp', version: new RawNumber('9007199254740993') } }),
  ],
  ['mergePolicy.version -0.5', withDataset({ mergePolicy: { id: 'mp', version: -0.5 } })],
  [
    '2,000 nested arrays as fields',
    (datasetId) =>
      `{"fields":${'['.repeat(2000)}${']'.repeat(2000)},"destination":{"datasetId":"${datasetId}"},"schema":{"name":"s"}}`,
  ],
  [
    'a __proto__ member',
    (datasetId) =>
      `{"__proto__":{"polluted":true},"destination":{"datasetId":"${datasetId}"},"schema":{"name":"_xdm.context.profile"}}`,
  ],
  ['a lone surrogate id', () => '{"destination":{"datasetId":"\\ud800"},"schema":{"name":"\\u0000"}}'],
];

/** Generated bodies name datasets at random: the tenant has none of them (a 422 listing it, unless a 400 comes first). */
function generatedBodies(count: number): Array<[string, Body]> {
  const schema = toPlainJsonSchema(CreateJobRequestSchema);
  return Array.from({ length: count }, (_, run) => {
    const seed = 7_000 + run;
    const text = toJsonText(generate(schema, new Random(seed), { nastiness: 0.3 }));
    return [`generated seed ${seed}`, () => text];
  });
}

describe('POST /export/jobs with generated and hostile bodies', () => {
  const client = new TenantClient();

  it.each([...HANDPICKED, ...generatedBodies(12)])(
    'GIVEN %s WHEN it is posted THEN the answer is 200 or a 4xx listing the problem, never a 5xx',
    async (_, body) => {
      const response = await request('POST', '/export/jobs', {
        tenant: client.tenant,
        rawBody: body(await client.datasetId()),
        headers: { 'content-type': 'application/json' },
      });
      if (response.status === 200) {
        expect(response.body).toEqual(expect.objectContaining({ status: 'NEW' }));
        return;
      }
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(expectProblem(response, response.status).errors.length).toBeGreaterThan(0);
    },
  );

  it('GIVEN mergePolicy.version 2^53 WHEN it is posted THEN it is a 400 naming /mergePolicy/version', async () => {
    const problem = expectProblem(
      await client.create({ ...(await client.minimalJob()), mergePolicy: { id: 'mp', version: 2 ** 53 } }),
      400,
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: '/mergePolicy/version', code: 'maximum' })]);
  });
});
