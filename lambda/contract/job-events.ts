import { Type, type Static } from '@sinclair/typebox';
import { TERMINAL_STATUSES } from './job-lifecycle';
import { JobErrorSchema, NamespaceCountersSchema } from './job-record';
import { stringEnum } from './schema-helpers';

/**
 * The event the service puts on EventBridge when a job ends (SUCCEEDED, FAILED, CANCELLED), so
 * other stacks react to finished exports without polling. Match it with
 * `{ source: [JOB_EVENTS.source], detailType: [JOB_EVENTS.jobEnded] }`; its detail is
 * `JobEndedDetail`. Delivery is at least once: a consumer deduplicates by
 * (imsOrgId, sandboxName, id).
 */
export const JOB_EVENTS = {
  source: 'export-jobs',
  jobEnded: 'Export Job Ended',
} as const;

export const JobEndedDetailSchema = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    imsOrgId: Type.String(),
    sandboxName: Type.String(),
    status: stringEnum(TERMINAL_STATUSES),
    datasetId: Type.String(),
    batchIds: Type.Array(Type.String(), { description: 'Every batch of the job; complete only when SUCCEEDED.' }),
    totalExportedProfileCounter: Type.Integer({ minimum: 0 }),
    exportedProfileByNamespaceCounter: NamespaceCountersSchema,
    errors: Type.Array(JobErrorSchema),
    creationTime: Type.Integer(),
    endTime: Type.Integer(),
  },
  { title: 'ExportJobEnded' },
);

export type JobEndedDetail = Static<typeof JobEndedDetailSchema>;
