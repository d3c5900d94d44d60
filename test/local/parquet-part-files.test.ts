import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { generateProfiles, type GeneratedProfile } from '../../bin/support/profile-generator';
import { readParquetRecords } from '../../bin/support/parquet-reader';
import { S3PartStore } from '../../lambda/adapters/s3-part-store';
import type { FileFormat } from '../../lambda/contract/file-format';
import type { ShardTask } from '../../lambda/contract/workflow';
import { exportShardStep } from '../../lambda/domain/export/export-shard-step';
import type { PartSummary, ProfileShardSource } from '../../lambda/domain/export/ports';
import { S3Emulator } from '../../local/s3-emulator';

// Two exports of 12,000 profiles each, through an S3 emulator: seconds alone, minutes on a loaded machine.
jest.setTimeout(300_000);

const BUCKET = 'exports';
/** More profiles than two row groups of the Parquet writer (5,000 rows each). */
const PROFILES = 12_000;

/**
 * The generated store, with values the XDM schema does not describe on some profiles: a field
 * it does not have, a value of another type than its column's, a field inside an identity,
 * with other fragments' values under them. They must reach the Parquet files too.
 */
function profileStore(): GeneratedProfile[] {
  return [...generateProfiles({ profiles: PROFILES, seed: 13, events: true })].map((generated, index) => {
    if (index % 97 !== 0) return generated;
    const [first, ...others] = generated.profile.fragments;
    const identities = (first.attributes.identities ?? []) as Array<Record<string, unknown>>;
    // The odd values in the profile's first fragment, newer than the others so that they win
    // the merge. (An explicit null is "does not have it" to the merge: it never reaches a file.)
    const odd = {
      ...first,
      updateTime: generated.profile.mergedUpdateTime + 1,
      attributes: {
        ...first.attributes,
        identities: identities.map((identity, position) =>
          position === 0 ? { ...identity, primary: true } : identity,
        ),
        nickname: `nick-${index}`,
        loyalty: { tier: 'gold', points: 'a lot' },
        person: { name: { firstName: 'Ada' }, title: { short: 'Dr' } },
      },
    };
    return {
      ...generated,
      profile: { ...generated.profile, mergedUpdateTime: odd.updateTime, fragments: [odd, ...others] },
    };
  });
}

/** A shard served from memory, 500 profiles a page with their events, as the DynamoDB source does. */
function inMemorySource(store: readonly GeneratedProfile[]): ProfileShardSource {
  return {
    hasProfiles: async () => store.length > 0,
    async *pages() {
      for (let start = 0; start < store.length; start += 500) {
        const page = store.slice(start, start + 500);
        yield {
          entries: page.map(({ profile, events }) => ({ profile, events })),
          lastProfileId: page[page.length - 1].profile.profileId,
          hasMore: start + 500 < store.length,
        };
      }
    },
  };
}

function task(format: FileFormat, selection: { fields?: string; eventFields?: string }): ShardTask {
  return {
    job: {
      id: 1,
      imsOrgId: 'org@AdobeOrg',
      sandboxName: 'prod',
      destination: { datasetId: 'ds', segmentPerBatch: false, batchId: `batch-${format}`, format },
      filter: { emptyProfiles: false },
      ...(selection.fields !== undefined && { fields: selection.fields }),
      additionalFields: {
        eventList: { ...(selection.eventFields && { fields: selection.eventFields }), filter: {} },
      },
      schema: { name: '_xdm.context.profile' },
      creationTime: 0,
    },
    shard: 0,
    sequence: 0,
  };
}

describe('Parquet part files of the export worker', () => {
  let directory: string;
  let s3: S3Emulator;
  let client: S3Client;
  const store = profileStore();

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-parts-'));
    s3 = await S3Emulator.start(directory);
    client = s3.client();
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterAll(async () => {
    client.destroy();
    await s3.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  /** Exports the store in one step, and reads the one part file back as stored. */
  async function exportOnce(format: FileFormat, selection: { fields?: string; eventFields?: string }) {
    const parts: PartSummary[] = [];
    const result = await exportShardStep(
      {
        source: inMemorySource(store),
        parts: new S3PartStore(client, BUCKET),
        progress: { recordPart: async (part) => parts.push(part) > 0 },
      },
      task(format, selection),
      () => false,
    );
    expect(result.done).toBe(true);
    expect(parts).toHaveLength(1);
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: parts[0].key }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    return { part: parts[0], bytes };
  }

  async function recordsOfBoth(selection: { fields?: string; eventFields?: string }) {
    const json = await exportOnce('json', selection);
    const parquet = await exportOnce('parquet', selection);
    const jsonRecords = gunzipSync(json.bytes)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    return { json, parquet, jsonRecords, parquetRecords: await readParquetRecords(parquet.bytes) };
  }

  it('GIVEN profiles with values the schema does not describe WHEN the worker exports every field and the events as Parquet THEN DuckDB reads back, record by record, the JSON Lines export of the same profiles, and the part summary is the stored file', async () => {
    const { json, parquet, jsonRecords, parquetRecords } = await recordsOfBoth({});

    expect(parquet.part.fileName).toBe('part-0000-000000.parquet');
    expect(parquet.bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(parquet.part.records).toBe(json.part.records);
    expect(parquetRecords).toHaveLength(jsonRecords.length);
    expect(jsonRecords.length).toBeGreaterThan(10_000);
    parquetRecords.forEach((record, index) => expect(record).toEqual(jsonRecords[index]));
    // The undescribed values came through: some records carry each kind.
    expect(parquetRecords.filter((record) => record.nickname !== undefined).length).toBeGreaterThan(50);
    expect(parquetRecords.find((record) => record.nickname !== undefined)).toMatchObject({
      loyalty: { tier: 'gold', points: 'a lot' },
      person: { name: { firstName: 'Ada' }, title: { short: 'Dr' } },
    });
    expect(parquet.part.bytes).toBe(parquet.bytes.length);
    expect(parquet.part.sha256).toBe(createHash('sha256').update(parquet.bytes).digest('hex'));
    expect(parquet.part.namespaces).toEqual(json.part.namespaces);
  });

  it('GIVEN fields and event fields WHEN the worker exports them as Parquet THEN only the selected paths are columns and the records are the projected JSON Lines records', async () => {
    const { parquet, jsonRecords, parquetRecords } = await recordsOfBoth({
      fields: 'identities.id,person.name.lastName,segmentMembership.ups,nickname',
      eventFields: 'eventType,commerce.order.priceTotal',
    });

    parquetRecords.forEach((record, index) => expect(record).toEqual(jsonRecords[index]));
    expect(parquetRecords.some((record) => record.nickname !== undefined)).toBe(true);
    const file = path.join(directory, 'projected.parquet');
    fs.writeFileSync(file, parquet.bytes);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    const rowGroups = await connection.runAndReadAll(
      `SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${file}')`,
    );
    connection.closeSync();
    instance.closeSync();
    expect(
      Object.fromEntries(described.getRowObjectsJS().map((row) => [String(row.column_name), String(row.column_type)])),
    ).toEqual({
      identities: 'STRUCT(id VARCHAR)[]',
      person: 'STRUCT("name" STRUCT(lastName VARCHAR))',
      segmentMembership: 'MAP(VARCHAR, MAP(VARCHAR, STRUCT(status VARCHAR, lastQualificationTime VARCHAR)))',
      eventList: 'STRUCT(eventType VARCHAR, commerce STRUCT("order" STRUCT(priceTotal DOUBLE)))[]',
      _extra: 'VARCHAR',
    });
    // Written row group by row group as the rows came, not all at the end.
    expect(Number(rowGroups.getRowObjectsJS()[0].n)).toBe(Math.ceil(jsonRecords.length / 5_000));
  });
});
