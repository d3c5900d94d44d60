import { PART_FILE_NAME_PATTERN } from '../../contract/batch-layout';
import { BATCH_ID_PATTERN, DATA_SET_FILE_ID_PATTERN } from '../../contract/path-parameters';
import { InvalidRequestError } from '../errors';

/** A part file of a batch, as a dataSetFileId names it. */
export interface DataSetFileRef {
  readonly batchId: string;
  readonly fileName: string;
}

const BATCH_ID = new RegExp(BATCH_ID_PATTERN);
const FILE_NAME = new RegExp(PART_FILE_NAME_PATTERN);
const ID = new RegExp(DATA_SET_FILE_ID_PATTERN);
const SEPARATOR = '/';

/**
 * The dataSetFileId of a part file: `<batchId>/<file name>` in base64url. It names a batch id
 * and a file name, never an object key: the key is built from the caller's own tenant and the
 * dataset recorded on that tenant's batch, so no id can reach another tenant's object. Clients
 * treat it as opaque.
 */
export function encodeDataSetFileId(file: DataSetFileRef): string {
  return Buffer.from(`${file.batchId}${SEPARATOR}${file.fileName}`, 'utf8').toString('base64url');
}

/**
 * The part file a dataSetFileId names. Strict: only the canonical encoding of a well-formed
 * batch id and part file name is accepted (anything else is a 400), so each file has exactly
 * one id.
 */
export function decodeDataSetFileId(id: string | undefined): DataSetFileRef {
  const invalid = () =>
    new InvalidRequestError('The dataSetFileId is invalid.', [
      { path: '/dataSetFileId', code: 'data_set_file_id', message: 'must be a dataSetFileId the API returned' },
    ]);
  if (id === undefined || !ID.test(id)) throw invalid();
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const [batchId, fileName, ...rest] = decoded.split(SEPARATOR);
  if (rest.length > 0 || fileName === undefined || !BATCH_ID.test(batchId) || !FILE_NAME.test(fileName))
    throw invalid();
  const file = { batchId, fileName };
  if (encodeDataSetFileId(file) !== id) throw invalid();
  return file;
}

/** The `{batchId}` path parameter. */
export function parseBatchId(text: string | undefined): string {
  if (text === undefined || !BATCH_ID.test(text)) {
    throw new InvalidRequestError('The batch id is invalid.', [
      { path: '/batchId', code: 'batch_id', message: 'must be 32 lowercase hexadecimal digits' },
    ]);
  }
  return text;
}
