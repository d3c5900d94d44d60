/** `{id}` of /export/jobs/{id}: a positive integer. */
export const JOB_ID_PATTERN = '^[1-9][0-9]{0,15}$';

/** `{batchId}` of /export/batches/{batchId}/files: the 32 lowercase hex digits the service assigns. */
export const BATCH_ID_PATTERN = '^[0-9a-f]{32}$';

/**
 * `{dataSetFileId}` of /export/files/{dataSetFileId}: an opaque base64url token (see
 * `lambda/domain/data-set-file-id.ts`, the one codec).
 */
export const DATA_SET_FILE_ID_PATTERN = '^[A-Za-z0-9_-]{8,200}$';
