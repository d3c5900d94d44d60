import { Type, type Static } from '@sinclair/typebox';
import { JOB_STATUSES } from './job-lifecycle';
import { closedObject, stringEnum } from './schema-helpers';

export const DEFAULT_PAGE_SIZE = 20;
/** Clients of the reference platform ask for 1,000 by default. */
export const MAX_PAGE_SIZE = 1000;

/**
 * The most a page's records may weigh in the list function's response (bytes of the JSON body
 * as it travels inside the Lambda proxy response, escaped once more). Lambda refuses a
 * synchronous response over 6 MB, API Gateway a payload over 10 MB: 5 MiB leaves room for the
 * page envelope and headers. A page stops before the record that would pass it (always holding
 * at least one record: a job item is at most 400 KB), so it may hold fewer records than
 * `limit`; `link.next` goes on from its last record.
 */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;

/** `<creationTimeMs>_<id>`: the opaque cursor of GET /export/jobs. */
export const CURSOR_PATTERN = '^[0-9]{1,15}_[1-9][0-9]{0,15}$';

/** Query parameters of GET /export/jobs. Values arrive as strings and are coerced. */
export const ListJobsQuerySchema = closedObject(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_PAGE_SIZE,
        description: `Page size, default ${DEFAULT_PAGE_SIZE}. A page holds fewer records when more would pass ${MAX_PAGE_BYTES / 1024 / 1024} MiB: follow link.next.`,
      }),
    ),
    offset: Type.Optional(
      Type.String({ pattern: CURSOR_PATTERN, description: 'Cursor from page.pageOffset or link.next.' }),
    ),
    status: Type.Optional(stringEnum(JOB_STATUSES, { description: 'Only jobs in this status.' })),
  },
  { title: 'ListExportJobsQuery' },
);

export type ListJobsQuery = Static<typeof ListJobsQuerySchema>;
