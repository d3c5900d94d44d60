/** `{id}` of /export/jobs/{id}: a positive integer. */
export const JOB_ID_PATTERN = '^[1-9][0-9]{0,15}$';
