import { partFileName } from '../../../lambda/contract/batch-layout';
import { DATA_SET_FILE_ID_PATTERN } from '../../../lambda/contract/path-parameters';
import { InvalidRequestError } from '../../../lambda/domain/errors';
import {
  decodeDataSetFileId,
  encodeDataSetFileId,
  parseBatchId,
} from '../../../lambda/domain/read-batch/data-set-file-id';

const BATCH_ID = '0123456789abcdef0123456789abcdef';
const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function refusal(id: string | undefined) {
  try {
    decodeDataSetFileId(id);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('dataSetFileId codec', () => {
  it.each([partFileName(0, 0, 'json'), partFileName(15, 123456, 'parquet'), 'part-0003-000001.parquet'])(
    'GIVEN a part %s of a batch WHEN its id is encoded and decoded THEN the same batch and file come back',
    (fileName) => {
      const id = encodeDataSetFileId({ batchId: BATCH_ID, fileName });
      expect(id).toMatch(new RegExp(DATA_SET_FILE_ID_PATTERN));
      expect(decodeDataSetFileId(id)).toEqual({ batchId: BATCH_ID, fileName });
    },
  );

  it('GIVEN an id WHEN read THEN it shows neither the batch id nor the file name in clear (opaque)', () => {
    const id = encodeDataSetFileId({ batchId: BATCH_ID, fileName: partFileName(1, 2, 'parquet') });
    expect(id).not.toContain(BATCH_ID);
    expect(id).not.toContain('part-');
  });

  it.each([
    ['nothing', undefined],
    ['an empty id', ''],
    ['characters outside base64url', `${encode(`${BATCH_ID}/part-0000-000000.json.gz`)}=`],
    ['a path', 'a/b/../../c'],
    ['a batch id alone', encode(BATCH_ID)],
    ['an upper-case batch id', encode(`${BATCH_ID.toUpperCase()}/part-0000-000000.json.gz`)],
    ['a short batch id', encode('abc/part-0000-000000.json.gz')],
    ['a traversal in the file name', encode(`${BATCH_ID}/../../other@AdobeOrg/prod/x`)],
    ['a second separator', encode(`${BATCH_ID}/part-0000-000000.json.gz/x`)],
    ['the manifest (not a dataset file)', encode(`${BATCH_ID}/manifest.json`)],
    ['an object key', encode('org%40AdobeOrg/prod/datasets/d/batches/b/part-0000-000000.json.gz')],
    ['a file name that is not a part', encode(`${BATCH_ID}/secrets.txt`)],
  ])('GIVEN %s WHEN decoded THEN it is a 400 naming /dataSetFileId', (_case, id) => {
    const error = refusal(id);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).errors).toEqual([expect.objectContaining({ path: '/dataSetFileId' })]);
  });

  it('GIVEN a non-canonical encoding of a valid id (other trailing bits) WHEN decoded THEN it is refused, so each file has one id', () => {
    // 32 + 1 + 16 bytes: not a multiple of 3, so the last character carries unused bits.
    const id = encodeDataSetFileId({ batchId: BATCH_ID, fileName: 'part-1-2.parquet' });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = id[id.length - 1];
    const variants = [...alphabet]
      .filter((character) => character !== last)
      .map((character) => `${id.slice(0, -1)}${character}`)
      .filter((variant) => Buffer.from(variant, 'base64url').equals(Buffer.from(id, 'base64url')));
    expect(variants.length).toBeGreaterThan(0);
    for (const variant of variants) expect(refusal(variant)).toBeInstanceOf(InvalidRequestError);
  });

  it.each([undefined, '', 'ABCDEF0123456789ABCDEF0123456789', '0123', `${BATCH_ID}0`, '../x'])(
    'GIVEN the batch id %j WHEN parsed THEN it is a 400 naming /batchId',
    (text) => {
      expect(() => parseBatchId(text)).toThrow(InvalidRequestError);
    },
  );

  it('GIVEN a batch id as the service assigns it WHEN parsed THEN it is accepted', () => {
    expect(parseBatchId(BATCH_ID)).toBe(BATCH_ID);
  });
});
