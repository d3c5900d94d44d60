import { randomBytes } from 'node:crypto';
import { DATASET_ID_PATTERN } from '../contract/dataset';
import { InvalidRequestError } from './errors';

/**
 * A new dataset id: 24 lowercase hex characters, like the reference catalog's ids (whose
 * first 8 are the creation second). Here the first 8 are the creation second and the next 3
 * its millisecond, so ids sort by creation time and the table lists datasets newest first by
 * its sort key alone; the last 13 are random (52 bits), so ids created in the same millisecond
 * differ too.
 */
export function newDatasetId(nowMs: number, random: () => Buffer = () => randomBytes(7)): string {
  const seconds = Math.floor(nowMs / 1000);
  const millisecond = nowMs - seconds * 1000;
  const tail = random().toString('hex').slice(0, 13);
  return `${hex(seconds, 8)}${hex(millisecond, 3)}${tail}`;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0').slice(-width);
}

const DATASET_ID = new RegExp(DATASET_ID_PATTERN);

/** The `{id}` path parameter of /dataSets/{id}. */
export function parseDatasetId(text: string | undefined): string {
  if (text === undefined || !DATASET_ID.test(text)) {
    throw new InvalidRequestError('The dataset id is invalid.', [
      { path: '/id', code: 'dataset_id', message: 'must be 24 lowercase hexadecimal characters' },
    ]);
  }
  return text;
}
