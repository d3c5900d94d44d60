import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import { ApiProblem, ok, type ApiClient, type DataSetFileDetail, type Job } from '../client';
import { batchIdsOf, type Output } from '../output';

const MANIFEST = 'manifest.json';

/** A file of a batch to fetch, with what the API says it holds. */
interface Download {
  readonly batchId: string;
  readonly dataSetFileId: string;
  readonly name: string;
  readonly length: number;
  readonly sha256: string;
}

interface Manifest {
  readonly parts: ReadonlyArray<{ file: string; records: number; bytes: number; sha256: string }>;
  readonly totalRecords: number;
}

export interface DownloadedBatch {
  readonly batchId: string;
  readonly directory: string;
  readonly files: Array<{ name: string; bytes: number; records: number; sha256: string }>;
  readonly records: number;
}

/**
 * Downloads every file of a job's batches into `<directory>/<batchId>/`, through the API: the
 * batch's files, each file's links, and each link's 307 to a presigned S3 URL, fetched without
 * the API's credentials. Each batch's manifest is fetched first; every part is then checked
 * against it (size and sha256) as it is written, and the batch must hold exactly the parts the
 * manifest lists. A file that does not match is deleted and the command fails.
 */
export async function downloadJob(api: ApiClient, id: number, directory: string, out: Output): Promise<number> {
  const job: Job = await ok(
    api.client.GET('/export/jobs/{id}', { params: { path: { id: String(id) }, header: api.tenant } }),
  );
  const plans = [];
  for (const batchId of batchIdsOf(job)) plans.push(await planBatch(api, batchId));
  const totalBytes = plans.reduce((sum, plan) => sum + plan.parts.reduce((bytes, part) => bytes + part.length, 0), 0);
  const bar = out.json
    ? undefined
    : new SingleBar({
        format: 'Downloading |{bar}| {percentage}% {value}/{total} bytes | {file}',
        noTTYOutput: true,
        notTTYSchedule: 1000,
        stream: process.stderr,
      });
  bar?.start(totalBytes, 0, { file: '' });
  const results: DownloadedBatch[] = [];
  try {
    for (const plan of plans) {
      const batchDirectory = path.join(directory, plan.batchId);
      fs.mkdirSync(batchDirectory, { recursive: true });
      if (!plan.manifest) {
        // A batch without parts lists no dataset file, so nothing (not even its manifest) to fetch.
        results.push({ batchId: plan.batchId, directory: batchDirectory, files: [], records: 0 });
        continue;
      }
      const manifestBytes = await fetchFile(api, plan.manifest, batchDirectory);
      const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
      checkPartsAgainstManifest(plan, manifest);
      const files = [];
      for (const part of plan.parts) {
        bar?.update({ file: `${plan.batchId}/${part.name}` });
        await fetchFile(api, part, batchDirectory, (bytes) => bar?.increment(bytes));
        const listed = manifest.parts.find((entry) => entry.file === part.name)!;
        files.push({ name: part.name, bytes: listed.bytes, records: listed.records, sha256: listed.sha256 });
      }
      results.push({ batchId: plan.batchId, directory: batchDirectory, files, records: manifest.totalRecords });
    }
  } finally {
    bar?.stop();
  }
  out.result({ jobId: id, batches: results }, () =>
    results
      .map(
        (batch) =>
          `Batch ${batch.batchId}: ${batch.files.length} files, ${batch.records} records, checked against its manifest, in ${batch.directory}`,
      )
      .join('\n'),
  );
  return 0;
}

/** The files of one batch as the API lists them: its parts and its manifest. */
async function planBatch(
  api: ApiClient,
  batchId: string,
): Promise<{ batchId: string; parts: Download[]; manifest?: Download }> {
  const listing = await ok(
    api.client.GET('/export/batches/{batchId}/files', { params: { path: { batchId }, header: api.tenant } }),
  );
  const parts: Download[] = [];
  let manifest: Download | undefined;
  for (const file of listing.data) {
    const detail: DataSetFileDetail = await ok(
      api.client.GET('/export/files/{dataSetFileId}', {
        params: { path: { dataSetFileId: file.dataSetFileId }, header: api.tenant },
      }),
    );
    for (const entry of detail.data) {
      const download = {
        batchId,
        dataSetFileId: file.dataSetFileId,
        name: entry.name,
        length: entry.length,
        sha256: entry.checksum.value,
      };
      if (entry.name === MANIFEST) manifest ??= download;
      else parts.push(download);
    }
  }
  return { batchId, parts, manifest };
}

function checkPartsAgainstManifest(plan: { batchId: string; parts: Download[] }, manifest: Manifest): void {
  const listed = new Map(manifest.parts.map((part) => [part.file, part]));
  const problems: string[] = [];
  for (const part of plan.parts) {
    const entry = listed.get(part.name);
    if (!entry) problems.push(`${part.name} is not in the manifest`);
    else if (entry.bytes !== part.length || entry.sha256 !== part.sha256)
      problems.push(
        `${part.name}: the API lists ${part.length} bytes/${part.sha256}, the manifest ${entry.bytes}/${entry.sha256}`,
      );
  }
  const names = new Set(plan.parts.map((part) => part.name));
  for (const file of listed.keys())
    if (!names.has(file)) problems.push(`${file} is in the manifest but not listed by the API`);
  if (problems.length > 0) throw new Error(`Batch ${plan.batchId} does not match its manifest: ${problems.join('; ')}`);
}

/**
 * One file: the API's 307 (not followed by fetch, so the API's credentials never go to S3),
 * then a plain GET of the presigned URL, streamed to disk while its sha256 and size are taken.
 * Returns the bytes of small files (the manifest); a mismatch deletes the file and throws.
 */
async function fetchFile(
  api: ApiClient,
  file: Download,
  directory: string,
  progress?: (bytes: number) => void,
): Promise<Buffer> {
  const target = path.join(directory, file.name);
  const { response, error } = await api.client.GET('/export/files/{dataSetFileId}', {
    params: { path: { dataSetFileId: file.dataSetFileId }, query: { path: file.name }, header: api.tenant },
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (response.status !== 307 || !location) {
    throw new ApiProblem(
      response.status,
      (error as object) ?? { title: `expected a redirect, got HTTP ${response.status}` },
    );
  }
  const download = await fetch(location);
  if (!download.ok || !download.body) throw new Error(`${file.name}: the storage answered HTTP ${download.status}`);
  const hash = createHash('sha256');
  let size = 0;
  const keep: Buffer[] = [];
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      if (file.name === MANIFEST) keep.push(chunk);
      progress?.(chunk.length);
      callback(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(download.body as never), measure, fs.createWriteStream(target));
  const sha256 = hash.digest('hex');
  if (size !== file.length || sha256 !== file.sha256) {
    fs.rmSync(target, { force: true });
    throw new Error(
      `${file.batchId}/${file.name}: got ${size} bytes with sha256 ${sha256}, expected ${file.length} bytes with ${file.sha256}`,
    );
  }
  return Buffer.concat(keep);
}
