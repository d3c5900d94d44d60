#!/usr/bin/env node
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { generateProfiles } from '../bin/support/profile-generator';
import type { ExportJobSpec } from '../lambda/contract/workflow';
import { exportShardStep } from '../lambda/domain/export/export-shard-step';
import type { PartStore, ProfileShardSource } from '../lambda/domain/export/ports';

/**
 * `npm run bench:worker`: the CPU an export worker spends per profile, without DynamoDB or S3,
 * for the AWS model (docs/aws-scale-model.md): (1) parsing a Query response and unmarshalling
 * its items, (2) the shard step itself (filter, projection, JSON line, gzip level 1, sha256)
 * on an in-memory source. Reported as profiles per CPU-second of this process.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { profiles: { type: 'string', default: '100000' } } });
  const profiles = [...generateProfiles({ profiles: Number(values.profiles), seed: 9, events: false })].map(
    ({ profile }) => profile,
  );

  const responses = profiles.map((profile) =>
    JSON.stringify({ Items: [marshall({ pk: 't#1', sk: profile.profileId, ...profile })] }),
  );
  const parse = cpuSeconds(() => {
    for (const response of responses) unmarshall(JSON.parse(response).Items[0]);
  });

  const source: ProfileShardSource = {
    hasProfiles: async () => true,
    async *pages() {
      for (let start = 0; start < profiles.length; start += 500) {
        const page = profiles.slice(start, start + 500);
        yield {
          entries: page.map((profile) => ({ profile, events: [] })),
          lastProfileId: page[page.length - 1].profileId,
          hasMore: start + 500 < profiles.length,
        };
      }
    },
  };
  let compressed = 0;
  // gzip and sha256 as the S3 part writer does them (64 KiB chunks), the bytes dropped.
  const parts: PartStore = {
    discard: async () => undefined,
    open: () => {
      const gzip = createGzip({ level: 1 });
      const hash = createHash('sha256');
      gzip.on('data', (chunk: Buffer) => {
        compressed += chunk.length;
        hash.update(chunk);
      });
      let pending = '';
      return {
        write: async (record) => {
          pending += `${JSON.stringify(record)}\n`;
          if (pending.length >= 64 * 1024) {
            gzip.write(pending);
            pending = '';
          }
        },
        finish: async () => {
          gzip.end(pending);
          await once(gzip, 'end');
          return { bytes: compressed, sha256: hash.digest('hex') };
        },
        abort: async () => undefined,
      };
    },
  };
  const job = {
    id: 1,
    imsOrgId: 'bench@AdobeOrg',
    sandboxName: 'prod',
    destination: { datasetId: 'bench', segmentPerBatch: false, batchId: 'batch' },
    filter: { emptyProfiles: true },
    schema: { name: '_xdm.context.profile' },
    creationTime: 0,
  } as unknown as ExportJobSpec & { creationTime: number };
  const before = process.cpuUsage();
  await exportShardStep(
    { source, parts, progress: { recordPart: async () => true } },
    { job, shard: 0, sequence: 0 },
    () => false,
  );
  const usage = process.cpuUsage(before);
  const step = (usage.user + usage.system) / 1e6;

  const rate = (seconds: number) => Math.round(profiles.length / seconds);
  console.log(`parse and unmarshall: ${rate(parse)} profiles per CPU-second`);
  console.log(`shard step (filter, project, JSON, gzip 1, sha256): ${rate(step)} profiles per CPU-second`);
  console.log(
    `both: ${rate(parse + step)} profiles per CPU-second; ${Math.round(compressed / profiles.length)} gzip bytes per profile`,
  );
}

function cpuSeconds(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const usage = process.cpuUsage(before);
  return (usage.user + usage.system) / 1e6;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
