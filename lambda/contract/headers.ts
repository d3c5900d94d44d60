/** Request headers of the API, lower-cased as the handlers read them. */
export const HEADERS = {
  orgId: 'x-gw-ims-org-id',
  sandboxName: 'x-sandbox-name',
  apiKey: 'x-api-key',
  authorization: 'authorization',
  profileInstanceId: 'x-profile-instance-id',
  idempotencyKey: 'idempotency-key',
  contentType: 'content-type',
} as const;

export const DEFAULT_PROFILE_INSTANCE_ID = 'ups';

/** Printable ASCII without spaces: what a tenant identifier may contain. */
export const TENANT_ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
