import * as fs from 'node:fs';
import type { components } from './generated/openapi';
import { UsageError } from './settings';

export type CreateJobRequest = components['schemas']['CreateExportJobRequest'];

/** The flags of `create`; each one given overrides the same field of --file. */
export interface CreateFlags {
  readonly file?: string;
  readonly dataset?: string;
  readonly schema?: string;
  readonly fields?: string;
  readonly segment?: string[];
  readonly segmentPerBatch?: boolean;
  readonly fromIngest?: string;
  readonly emptyProfiles?: boolean;
}

/**
 * The body of POST /export/jobs from a JSON file and/or flags. The API validates it and lists
 * every problem; the CLI only assembles it. `--segment id[:namespace]` may repeat.
 */
export function createJobRequest(flags: CreateFlags): CreateJobRequest {
  const base = flags.file ? readJson(flags.file) : {};
  const body: Record<string, any> = { ...base };
  if (flags.dataset) body.destination = { ...body.destination, datasetId: flags.dataset };
  if (flags.segmentPerBatch) body.destination = { ...body.destination, segmentPerBatch: true };
  if (flags.schema || !body.schema) body.schema = { name: flags.schema ?? '_xdm.context.profile' };
  if (flags.fields) body.fields = flags.fields;
  if (flags.segment?.length) {
    body.filter = {
      ...body.filter,
      segments: flags.segment.map((text) => {
        const [segmentId, segmentNs] = text.split(':');
        return { segmentId, ...(segmentNs && { segmentNs }) };
      }),
    };
  }
  if (flags.fromIngest) body.filter = { ...body.filter, fromIngestTimestamp: flags.fromIngest };
  if (flags.emptyProfiles) body.filter = { ...body.filter, emptyProfiles: true };
  if (!body.destination?.datasetId && !body.destination?.dataSetId) {
    throw new UsageError('A job needs a dataset: --dataset <id> or destination.datasetId in --file.');
  }
  return body as CreateJobRequest;
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
}
