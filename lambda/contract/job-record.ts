import { Type, type Static } from '@sinclair/typebox';
import { SEGMENT_STATUSES, SegmentSelectorSchema } from './create-job-request';
import { FILE_FORMATS } from './file-format';
import { JOB_STATUSES } from './job-lifecycle';
import { stringEnum } from './schema-helpers';

export type { JobStatus } from './job-lifecycle';

const timing = Type.Object(
  {
    startTimeInMs: Type.Integer(),
    endTimeInMs: Type.Optional(Type.Integer()),
    totalTimeInMs: Type.Optional(Type.Integer()),
  },
  { description: 'A phase of the job, in epoch milliseconds.' },
);

export const BatchSchema = Type.Object({
  segmentId: Type.String(),
  segmentNs: Type.Optional(Type.String()),
  status: Type.Array(stringEnum(SEGMENT_STATUSES)),
  batchId: Type.String(),
});

export const JobDestinationSchema = Type.Object({
  datasetId: Type.String(),
  segmentPerBatch: Type.Boolean(),
  format: Type.Optional(
    stringEnum(FILE_FORMATS, {
      description:
        "The dataset's file format, copied when the job is created: the part files are Parquet or gzip JSON Lines. Absent on jobs created before datasets had formats (JSON Lines).",
    }),
  ),
  batchId: Type.Optional(Type.String({ description: 'The batch of the job when segmentPerBatch is false.' })),
  batches: Type.Optional(
    Type.Array(BatchSchema, { description: 'One batch per segment when segmentPerBatch is true.' }),
  ),
});

export const JobErrorSchema = Type.Object({
  code: Type.String(),
  msg: Type.String(),
  callStack: Type.String({ description: 'Where the failure happened (a component name, never a stack trace).' }),
});

// A map written with additionalProperties (not TypeBox's Record, which emits patternProperties)
// so that OpenAPI 3.0 can describe it too.
export const NamespaceCountersSchema = Type.Unsafe<Record<string, number>>({
  type: 'object',
  additionalProperties: { type: 'integer', minimum: 0 },
  description: 'Per identity namespace, the exported profiles that carry an identity in it.',
});

export const JobMetricsSchema = Type.Object({
  totalTime: Type.Optional(timing),
  profileExportTime: Type.Optional(timing),
  aCPDatasetWriteTime: Type.Optional(timing),
  totalExportedProfileCounter: Type.Optional(Type.Integer({ minimum: 0 })),
  exportedProfileByNamespaceCounter: Type.Optional(NamespaceCountersSchema),
});

export const JobFilterSchema = Type.Object({
  segments: Type.Optional(Type.Array(SegmentSelectorSchema)),
  segmentQualificationTime: Type.Optional(
    Type.Object({ startTime: Type.Optional(Type.String()), endTime: Type.Optional(Type.String()) }),
  ),
  fromIngestTimestamp: Type.Optional(Type.String()),
  emptyProfiles: Type.Boolean(),
});

export const EventListSchema = Type.Object({
  fields: Type.Optional(Type.String()),
  filter: Type.Object({
    fromIngestTimestamp: Type.Optional(Type.String()),
    toIngestTimestamp: Type.Optional(Type.String()),
  }),
});

export const JobRecordSchema = Type.Object(
  {
    id: Type.Integer({ minimum: 1, description: 'Unique within the tenant.' }),
    jobType: stringEnum(['BATCH'] as const),
    destination: JobDestinationSchema,
    fields: Type.Optional(Type.String()),
    schema: Type.Object({ name: Type.String() }),
    imsOrgId: Type.String(),
    sandboxName: Type.String(),
    status: stringEnum(JOB_STATUSES),
    filter: JobFilterSchema,
    additionalFields: Type.Optional(Type.Object({ eventList: Type.Optional(EventListSchema) })),
    mergePolicy: Type.Object({ id: Type.String(), version: Type.Optional(Type.Integer()) }),
    evaluationInfo: Type.Object({ segmentation: Type.Boolean() }),
    profileInstanceId: Type.String(),
    errors: Type.Array(JobErrorSchema),
    metrics: JobMetricsSchema,
    computeGatewayJobId: Type.Object({ exportJob: Type.String({ description: 'The workflow execution.' }) }),
    creationTime: Type.Integer(),
    updateTime: Type.Integer(),
    requestId: Type.String(),
  },
  { title: 'ExportJob' },
);

export const JobListSchema = Type.Object(
  {
    records: Type.Array(JobRecordSchema),
    page: Type.Object({
      sortField: stringEnum(['createdTime'] as const),
      sort: stringEnum(['desc'] as const),
      pageOffset: Type.String({ description: 'Cursor of the last record; "" on an empty page.' }),
      pageSize: Type.Integer({ minimum: 0 }),
    }),
    link: Type.Object({
      next: Type.String({
        description:
          'The next page: the path this page was requested at (stage or custom-domain base path included) with the next query, to resolve against the URL of this request; "" on the last page.',
      }),
    }),
  },
  { title: 'ExportJobList' },
);

export type JobRecord = Static<typeof JobRecordSchema>;
export type JobDestination = Static<typeof JobDestinationSchema>;
export type JobBatch = Static<typeof BatchSchema>;
export type JobError = Static<typeof JobErrorSchema>;
export type JobMetrics = Static<typeof JobMetricsSchema>;
export type JobFilter = Static<typeof JobFilterSchema>;
export type JobList = Static<typeof JobListSchema>;
