import { Type, type Static } from '@sinclair/typebox';
import { JOB_STATUSES } from './job-lifecycle';
import { closedObject, stringEnum } from './schema-helpers';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `<creationTimeMs>_<id>`: the opaque cursor of GET /export/jobs. */
export const CURSOR_PATTERN = '^[0-9]{1,15}_[1-9][0-9]{0,15}$';

/** Query parameters of GET /export/jobs. Values arrive as strings and are coerced. */
export const ListJobsQuerySchema = closedObject(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, description: `Page size, default ${DEFAULT_PAGE_SIZE}.` }),
    ),
    offset: Type.Optional(
      Type.String({ pattern: CURSOR_PATTERN, description: 'Cursor from page.pageOffset or link.next.' }),
    ),
    status: Type.Optional(stringEnum(JOB_STATUSES, { description: 'Only jobs in this status.' })),
  },
  { title: 'ListExportJobsQuery' },
);

export type ListJobsQuery = Static<typeof ListJobsQuerySchema>;
