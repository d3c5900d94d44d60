import { Type, type Static } from '@sinclair/typebox';
import { MANIFEST_FILE_NAME, PART_FILE_NAME_PATTERN } from './batch-layout';
import { closedObject } from './schema-helpers';

/**
 * Reading a batch back, as the reference platform's data access API answers it: a batch lists
 * its dataset files (one per part file), a dataset file lists what can be downloaded (the part
 * and the batch's manifest), and a download is a redirect to a presigned S3 URL.
 */

/** How long a presigned download URL stays valid: the contract allows at most 15 minutes. */
export const DOWNLOAD_URL_TTL_SECONDS = 900;

/** The version every dataset file reports (files are written once and never change). */
export const DATA_SET_FILE_VERSION = '1.0.0';

/** `?path=` of a download: a part file's name or the manifest's. */
export const FILE_PATH_PATTERN = `(${PART_FILE_NAME_PATTERN})|(^${MANIFEST_FILE_NAME.replace('.', '\\.')}$)`;

const link = Type.Object({ self: Type.Object({ href: Type.String() }) });

export const DataSetFileSchema = Type.Object(
  {
    dataSetFileId: Type.String({ description: 'Opaque id of the file, for GET /export/files/{dataSetFileId}.' }),
    dataSetViewId: Type.String({ description: 'The dataset the batch belongs to.' }),
    version: Type.String(),
    created: Type.Integer({ description: 'When the batch was completed, epoch milliseconds.' }),
    updated: Type.Integer({ description: 'Same as created: files never change once listed.' }),
    isValid: Type.Boolean(),
    records: Type.Integer({ description: 'Exported profiles in the file.' }),
    length: Type.Integer({ description: 'Size of the file in bytes.' }),
    _links: link,
  },
  { title: 'DataSetFile' },
);

export const BatchFileListSchema = Type.Object(
  {
    data: Type.Array(DataSetFileSchema),
    _page: Type.Object(
      {
        limit: Type.Integer({ description: 'The whole batch is listed in one page: the number of files.' }),
        count: Type.Integer({ description: 'Files in this page.' }),
      },
      { description: 'Not paged: a manifest lists every part of its batch.' },
    ),
  },
  { title: 'BatchFileList' },
);

export const DownloadableFileSchema = Type.Object(
  {
    name: Type.String({ description: 'File name in the batch: the part, or manifest.json.' }),
    length: Type.Integer({ description: 'Size in bytes.' }),
    records: Type.Optional(Type.Integer({ description: 'Exported profiles in a part (absent for the manifest).' })),
    checksum: Type.Object({
      algorithm: Type.Unsafe<'sha256'>({ type: 'string', enum: ['sha256'] }),
      value: Type.String(),
    }),
    _links: Type.Object({
      self: Type.Object({
        href: Type.String({ description: 'GET answers 307 to a presigned S3 URL of the bytes.' }),
      }),
    }),
  },
  { title: 'DownloadableFile' },
);

export const DataSetFileDetailSchema = Type.Object(
  { data: Type.Array(DownloadableFileSchema, { description: 'The part file, then the manifest of its batch.' }) },
  { title: 'DataSetFileDetail' },
);

/** Query parameters of GET /export/files/{dataSetFileId}. */
export const FileQuerySchema = closedObject(
  {
    path: Type.Optional(
      Type.String({
        pattern: FILE_PATH_PATTERN,
        description:
          'A name of the file listing: answered with 307 to a presigned S3 GET URL valid at most 15 minutes.',
      }),
    ),
  },
  { title: 'DataSetFileQuery' },
);

export type DataSetFile = Static<typeof DataSetFileSchema>;
export type BatchFileList = Static<typeof BatchFileListSchema>;
export type DownloadableFile = Static<typeof DownloadableFileSchema>;
export type DataSetFileDetail = Static<typeof DataSetFileDetailSchema>;
