import { MAX_PAGE_BYTES, MAX_PAGE_SIZE } from '../../lambda/contract/list-jobs-query';
import type { JobRecord } from '../../lambda/contract/job-record';
import { decodeCursor } from '../../lambda/domain/cursor';
import { toCreateJobCommand } from '../../lambda/domain/create-job-command';
import { newJob } from '../../lambda/domain/new-job';
import { listJobs } from '../../lambda/domain/use-cases/list-jobs';
import { json } from '../../lambda/http/http-response';
import { InMemoryJobRepository } from './support/in-memory-job-repository';
import { maximalRequest } from './support/maximal-requests';

/** Lambda's limit on a synchronous response (6 MB) and API Gateway's on a payload (10 MB). */
const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;
const API_GATEWAY_PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

const tenant = { orgId: 'org@AdobeOrg', sandboxName: 'prod' };

/** The heaviest job a create request can make with plain identifiers (about 137 KiB of JSON). */
function heavyCommand() {
  return toCreateJobCommand(maximalRequest(100), { mergePolicy: { id: 'mp' } });
}

async function storeJobs(
  count: number,
  command = toCreateJobCommand(
    { destination: { datasetId: 'ds' }, schema: { name: '_xdm.context.profile' } },
    { mergePolicy: { id: 'mp' } },
  ),
): Promise<InMemoryJobRepository> {
  const repository = new InMemoryJobRepository();
  for (let id = 1; id <= count; id++) {
    await repository.insert(
      newJob(command, {
        id,
        tenant,
        profileInstanceId: 'ups',
    format: 'json',
        requestId: `r-${id}`,
        now: 1_700_000_000_000 + id,
        newBatchId: () => 'b'.repeat(32),
        executionId: `arn:aws:states:eu-west-1:123456789012:execution:sm:job-${id}`,
      }),
    );
  }
  return repository;
}

/** Every page from the first, following link.next as a client would. */
async function walk(repository: InMemoryJobRepository, limit: number) {
  const pages = [];
  let after: ReturnType<typeof decodeCursor>;
  do {
    const page = await listJobs(
      repository,
      tenant,
      { limit, ...(after && { after }), carried: [['limit', `${limit}`]] },
      '/export/jobs',
    );
    pages.push(page);
    after = page.link.next ? decodeCursor(new URLSearchParams(page.link.next.split('?')[1]).get('offset')!) : undefined;
  } while (after);
  return pages;
}

describe('GET /export/jobs: pages of up to 1,000 records within the payload limits', () => {
  it('GIVEN 1,001 small jobs WHEN a client asks for limit=1000 THEN it gets 1,000 and a link to the last one', async () => {
    const repository = await storeJobs(MAX_PAGE_SIZE + 1);
    const [first, second] = await walk(repository, MAX_PAGE_SIZE);
    expect(first.records).toHaveLength(1000);
    expect(first.page.pageSize).toBe(1000);
    expect(second.records.map((job: JobRecord) => job.id)).toEqual([1]);
    expect(second.link.next).toBe('');
  });

  it("GIVEN 60 of the heaviest jobs WHEN a client asks for limit=1000 THEN each page stays under Lambda's 6 MB and API Gateway's 10 MB, and link.next returns every job once", async () => {
    const repository = await storeJobs(60, heavyCommand());
    const pages = await walk(repository, MAX_PAGE_SIZE);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      const response = Buffer.byteLength(JSON.stringify(json(200, page)));
      expect(response).toBeLessThanOrEqual(MAX_PAGE_BYTES + 4096);
      expect(response).toBeLessThan(LAMBDA_RESPONSE_LIMIT_BYTES);
      expect(Buffer.byteLength(json(200, page).body)).toBeLessThan(API_GATEWAY_PAYLOAD_LIMIT_BYTES);
      expect(page.page.pageSize).toBe(page.records.length);
    }
    const ids = pages.flatMap((page) => page.records.map((job: JobRecord) => job.id));
    expect(ids).toEqual(Array.from({ length: 60 }, (_, index) => 60 - index));
  });
});
