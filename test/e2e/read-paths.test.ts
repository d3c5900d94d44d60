import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { generateProfiles, GENERATED_SEGMENTS } from '../../bin/support/profile-generator';
import { localDocumentClient } from '../../bin/support/local-dynamodb';
import { DynamoDbProfileShardSource } from '../../lambda/adapters/dynamodb-profile-shard-source';
import { DynamoDbStoreLayouts } from '../../lambda/adapters/dynamodb-store-layout';
import type { JobFilter } from '../../lambda/contract/job-record';
import { compileFilter } from '../../lambda/domain/export/profile-filter';
import { mergeStoredProfile, TIMESTAMP_ORDERED } from '../../lambda/domain/merge/merge-fragments';
import { readSelection } from '../../lambda/domain/export/read-selection';
import { newTenant } from './support/api-client';
import { localStack, seedTenant, waitForIndexedTenant } from './support/local-stack-control';

jest.setTimeout(600_000);

const GENERATION = { profiles: 2000, seed: 77 };
const [SEGMENT_A, , , SEGMENT_AAM] = GENERATED_SEGMENTS;

/** The profile items each read of the store returned, by table (the cost of an export's reads). */
function countingClient(client: DynamoDBDocumentClient, profileTable: string) {
  const counts = { profileItemsRead: 0 };
  const counting = {
    send: async (command: QueryCommand | BatchGetCommand) => {
      const output = (await client.send(command as never)) as Record<string, any>;
      const input = command.input as Record<string, any>;
      if (command instanceof QueryCommand && input.TableName === profileTable && !input.IndexName)
        counts.profileItemsRead += output.Items?.length ?? 0;
      if (command instanceof BatchGetCommand) counts.profileItemsRead += output.Responses?.[profileTable]?.length ?? 0;
      return output;
    },
  } as unknown as DynamoDBDocumentClient;
  return { counting, counts };
}

/**
 * The profile store's three read paths through the worker's own reader, against the local
 * stack's tables once the membership index has caught up: each selects exactly the profiles
 * the filter matches, and reads (in profile items) only those, not the whole store.
 */
describe('read paths of the profile store', () => {
  const tenant = newTenant('paths');
  const stack = localStack();
  const { client, close } = localDocumentClient(stack.dynamoDbEndpoint, 16);
  const data = [...generateProfiles({ ...GENERATION, events: false })];

  beforeAll(async () => {
    await seedTenant(tenant, GENERATION.profiles, GENERATION.seed, false, stack);
    await waitForIndexedTenant(tenant, GENERATION.profiles, GENERATION.seed, stack, false);
  });
  afterAll(() => close());

  async function read(filter: JobFilter) {
    const { counting, counts } = countingClient(client, stack.resources.profileTable);
    const source = new DynamoDbProfileShardSource(
      counting,
      {
        profiles: stack.resources.profileTable,
        events: stack.resources.eventTable,
        membershipIndex: stack.resources.membershipIndex,
      },
      50,
    );
    const ids: string[] = [];
    const compiled = compileFilter(filter);
    const shards = (await new DynamoDbStoreLayouts(client, stack.resources.profileTable).occupiedShards(tenant)) ?? [];
    expect(shards.length).toBeGreaterThan(0);
    for (const shard of shards) {
      for await (const page of source.pages(tenant, shard, { select: readSelection(filter) })) {
        for (const entry of page.entries) {
          const profile = mergeStoredProfile(entry.profile, TIMESTAMP_ORDERED);
          if (compiled.accepts(profile) && compiled.matchingSegments(profile).length > 0) ids.push(profile.profileId);
        }
      }
    }
    return { ids: ids.sort(), profileItemsRead: counts.profileItemsRead };
  }

  function expected(filter: JobFilter): string[] {
    const compiled = compileFilter(filter);
    return data
      .map(({ profile }) => mergeStoredProfile(profile, TIMESTAMP_ORDERED))
      .filter((profile) => compiled.accepts(profile) && compiled.matchingSegments(profile).length > 0)
      .map((profile) => profile.profileId)
      .sort();
  }

  it('GIVEN segments WHEN read through the membership index THEN exactly the members are read, and only they', async () => {
    const filter: JobFilter = {
      emptyProfiles: true,
      segments: [
        { segmentId: SEGMENT_A.segmentId, segmentNs: 'ups' },
        { segmentId: SEGMENT_AAM.segmentId, status: ['exited'] },
      ],
      segmentQualificationTime: { startTime: '2024-05-01T00:00:00Z' },
    };
    const { ids, profileItemsRead } = await read(filter);
    expect(ids).toEqual(expected(filter));
    expect(ids.length).toBeGreaterThan(0);
    expect(profileItemsRead).toBe(ids.length);
  });

  it('GIVEN fromIngestTimestamp WHEN read through the update-time index THEN exactly the profiles updated after it are read', async () => {
    const filter: JobFilter = { emptyProfiles: true, fromIngestTimestamp: '2025-06-01T00:00:00Z' };
    const { ids, profileItemsRead } = await read(filter);
    expect(ids).toEqual(expected(filter));
    expect(ids.length).toBeGreaterThan(0);
    expect(profileItemsRead).toBe(ids.length);
    expect(profileItemsRead).toBeLessThan(GENERATION.profiles / 5);
  });

  it('GIVEN no segments and no ingest time WHEN read THEN every profile is read', async () => {
    const filter: JobFilter = { emptyProfiles: true };
    const { ids, profileItemsRead } = await read(filter);
    expect(ids).toEqual(expected(filter));
    expect(profileItemsRead).toBe(GENERATION.profiles);
  });
});
