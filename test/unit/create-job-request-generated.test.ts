import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { toJobItem } from '../../lambda/adapters/job-store/job-item';
import { CreateJobRequestSchema, MAX_MERGE_POLICY_VERSION } from '../../lambda/contract/create-job-request';
import type { JobRecord } from '../../lambda/contract/job-record';
import type { Problem } from '../../lambda/contract/problem';
import { STEP_FUNCTIONS_PAYLOAD_LIMIT_BYTES } from '../../lambda/contract/workflow';
import { resolveJobMergePolicy } from '../../lambda/domain/config/merge-policies';
import { parseCreateJobBody } from '../../lambda/domain/create-job-command';
import { executionInputOf } from '../../lambda/domain/export/start-export';
import { createJob } from '../../lambda/domain/use-cases/create-job';
import { errorResponse } from '../../lambda/http/problems';
import { toPlainJsonSchema } from '../../lambda/contract/schema-helpers';
import { XDM_PROFILE_UNION } from '../../lambda/contract/xdm-schemas';
import { profileDataset } from './support/in-memory-dataset-repository';
import { InMemoryMergePolicies } from './support/in-memory-config-store';
import { InMemoryJobRepository } from './support/in-memory-job-repository';
import { generate, Random, RawNumber, toJsonText } from './support/schema-generator';

/** Stores a job as the DynamoDB document client would: the marshaller refuses what DynamoDB cannot hold. */
class MarshallingJobRepository extends InMemoryJobRepository {
  override async insert(job: JobRecord): Promise<void> {
    marshall(toJobItem(job), { removeUndefinedValues: true });
    await super.insert(job);
  }
}

const tenant = { orgId: 'org@AdobeOrg', sandboxName: 'prod' };

/** The tenant's policies: the built-in one, and 'mp' at the largest version a policy can reach. */
const policies = new InMemoryMergePolicies();
void policies.create(tenant, {
  id: 'mp',
  name: 'mp',
  schema: { name: '_xdm.context.profile' },
  version: MAX_MERGE_POLICY_VERSION,
  identityGraph: { type: 'none' },
  attributeMerge: { type: 'timestampOrdered' },
  default: false,
  updateEpoch: 0,
});
const mergePolicies = { policies, clock: { now: () => 0 }, newId: () => 'unused', builtIn: { id: 'default-mp' } };

/**
 * POST /export/jobs as the create handler runs it, minus AWS: parse the body, create the job
 * (stored through the marshaller), build the workflow's input, and map any error to HTTP.
 */
async function create(body: string): Promise<APIGatewayProxyResult> {
  try {
    const command = parseCreateJobBody(body);
    const job = await createJob(
      {
        repository: new MarshallingJobRepository(),
        // Every id names a dataset of the profile schema here: this test is about the body.
        datasets: { get: async () => profileDataset(tenant) },
        clock: { now: () => 1_700_000_000_000 },
        newBatchId: () => 'b'.repeat(32),
        workflow: { executionIdFor: () => 'arn:aws:states:eu-west-1:123456789012:execution:sm:job-1' },
        segmentDefinitions: { get: async () => undefined },
        resolveMergePolicy: (forTenant, schemaName, requested) =>
          resolveJobMergePolicy(mergePolicies, forTenant, schemaName, requested),
      },
      { tenant, profileInstanceId: 'ups', requestId: 'r-1', command },
    );
    const input = JSON.stringify(executionInputOf(job));
    if (Buffer.byteLength(input) > STEP_FUNCTIONS_PAYLOAD_LIMIT_BYTES) throw new Error('execution input too large');
    return { statusCode: 200, body: JSON.stringify(job) };
  } catch (error) {
    return errorResponse(error, 'r-1');
  }
}

/** A 4xx that lists what is wrong, or a 200: anything else is a defect. */
function defectOf(response: APIGatewayProxyResult): string | undefined {
  if (response.statusCode === 200) return undefined;
  if (response.statusCode >= 500) return `status ${response.statusCode}`;
  const problem = JSON.parse(response.body) as Problem;
  return problem.errors.length > 0 ? undefined : `status ${response.statusCode} with an empty errors[]`;
}

const schema = toPlainJsonSchema(CreateJobRequestSchema);

/**
 * Field lists follow a grammar (comma-separated dot paths) that the schema cannot state, and a
 * merge policy id must name one of the tenant's policies, of the job's schema.
 */
function validString(path: string, random: Random): string | undefined {
  // The export name of the datasets' schema (the generator's own strings, a tenth of the time, get a 422).
  if (path === '/schema/name') return XDM_PROFILE_UNION.exportName;
  if (path === '/destination/datasetId' || path === '/destination/dataSetId') return '5b7c86968f7b6501e21ba9df';
  if (path.endsWith('/mergePolicy/id')) return random.pick(['mp', 'default-mp']);
  if (!path.endsWith('/fields')) return undefined;
  const names = ['identities', 'id', 'personalEmail', 'address', 'person', 'name', '_xdm', 'x:y'];
  const dotPath = () => Array.from({ length: random.integer(1, 3) }, () => random.pick(names)).join('.');
  return Array.from({ length: random.integer(0, 4) }, dotPath).join(random.pick([',', ', ', ' ,']));
}
const SEED = Number(process.env.GENERATED_INPUT_SEED ?? 20261124);
const RUNS = 3000;

describe('create job request: generated input', () => {
  it(`GIVEN ${RUNS} bodies generated from the request schema (seed ${SEED}) WHEN each is created THEN none is a 5xx and every 4xx lists its problems`, async () => {
    const defects: Array<{ run: number; defect: string; body: string }> = [];
    const statuses = new Map<number, number>();
    for (let run = 0; run < RUNS; run++) {
      const random = new Random(SEED + run);
      const body = toJsonText(generate(schema, random, { nastiness: run % 2 === 0 ? 0.01 : 0.15, validString }));
      const response = await create(body);
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      const defect = defectOf(response);
      if (defect) defects.push({ run, defect, body: body.slice(0, 500) });
    }
    expect(defects.slice(0, 5)).toEqual([]);
    // The generator reaches both sides: valid requests that create a job, and refused ones.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
  });

  it.each([
    ['2^53', 2 ** 53, 'maximum'],
    ['2^53 + 1 (not a double)', new RawNumber('9007199254740993'), 'maximum'],
    ['1e300', 1e300, 'maximum'],
    ['1e400 (beyond a double: Infinity)', new RawNumber('1e400'), 'maximum'],
    ['-1e400', new RawNumber('-1e400'), 'minimum'],
    ['-1', -1, 'minimum'],
    ['0', 0, 'minimum'],
    ['1.5', 1.5, 'type'],
    ['"1"', '1', 'type'],
  ])(
    'GIVEN mergePolicy.version %s WHEN the job is created THEN it is a 400 naming /mergePolicy/version',
    async (_, version, code) => {
      const body = toJsonText({
        mergePolicy: { id: 'mp', version },
        destination: { datasetId: '5b7c86968f7b6501e21ba9df' },
        schema: { name: '_xdm.context.profile' },
      });
      const response = await create(body);
      expect(response.statusCode).toBe(400);
      expect((JSON.parse(response.body) as Problem).errors).toEqual([
        expect.objectContaining({ path: '/mergePolicy/version', code }),
      ]);
    },
  );

  it('GIVEN the largest merge policy version WHEN the job is created THEN it is stored and recorded exactly', async () => {
    const body = toJsonText({
      mergePolicy: { id: 'mp', version: Number.MAX_SAFE_INTEGER },
      destination: { datasetId: '5b7c86968f7b6501e21ba9df' },
      schema: { name: '_xdm.context.profile' },
    });
    const response = await create(body);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).mergePolicy).toEqual({ id: 'mp', version: Number.MAX_SAFE_INTEGER });
  });
});
