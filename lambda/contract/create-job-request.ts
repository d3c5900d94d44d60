import { Type, type Static } from '@sinclair/typebox';
import { closedObject, rfc3339, stringEnum } from './schema-helpers';

/** Segment membership statuses a filter may select. */
export const SEGMENT_STATUSES = ['realized', 'existing', 'exited'] as const;
export type SegmentStatus = (typeof SEGMENT_STATUSES)[number];

/** The statuses a segment filter selects when it names none. */
export const DEFAULT_SEGMENT_STATUS: readonly SegmentStatus[] = ['realized'];

/**
 * The largest merge policy version: the largest integer that every JSON client (and the
 * DynamoDB document marshaller, which refuses unsafe integers) reads exactly.
 */
export const MAX_MERGE_POLICY_VERSION = Number.MAX_SAFE_INTEGER;

/** The largest POST body the service accepts, in bytes (256 KiB). */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

const fieldList = (what: string) =>
  Type.String({
    maxLength: 8192,
    description: `Comma-separated dot paths of the ${what} to export, e.g. "identities.id,personalEmail.address". Blanks around commas are ignored; empty means all fields.`,
  });

const identifier = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

export const SegmentSelectorSchema = closedObject(
  {
    segmentId: identifier('ID of the segment whose members are exported.'),
    segmentNs: Type.Optional(identifier('Namespace of the segment; when absent any namespace matches.')),
    status: Type.Optional(
      Type.Array(stringEnum(SEGMENT_STATUSES), {
        minItems: 1,
        uniqueItems: true,
        description: 'Membership statuses to export. Default ["realized"].',
      }),
    ),
  },
  { description: 'A segment whose members are exported.' },
);

export const CreateJobRequestSchema = closedObject(
  {
    fields: Type.Optional(fieldList('profile fields')),
    mergePolicy: Type.Optional(
      closedObject(
        {
          id: identifier('ID of the merge policy.'),
          version: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: MAX_MERGE_POLICY_VERSION,
              description: 'Version of the merge policy.',
            }),
          ),
        },
        { description: "Merge policy recorded on the job. Absent means the tenant's default policy." },
      ),
    ),
    filter: Type.Optional(
      closedObject(
        {
          segments: Type.Optional(
            Type.Array(SegmentSelectorSchema, {
              minItems: 1,
              maxItems: 100,
              description: 'Segments to export. Absent means every profile.',
            }),
          ),
          segmentQualificationTime: Type.Optional(
            closedObject(
              {
                startTime: Type.Optional(rfc3339('Earliest last-qualification time of a membership.')),
                endTime: Type.Optional(rfc3339('Latest last-qualification time of a membership.')),
              },
              { description: "Window on the membership's last qualification time." },
            ),
          ),
          fromIngestTimestamp: Type.Optional(
            rfc3339('Only profiles whose merged update time is after this timestamp.'),
          ),
          emptyProfiles: Type.Optional(
            Type.Boolean({ description: 'Include profiles that have only events. Default false.' }),
          ),
        },
        { description: 'Which profiles to export.' },
      ),
    ),
    additionalFields: Type.Optional(
      closedObject(
        {
          eventList: Type.Optional(
            closedObject(
              {
                fields: Type.Optional(fieldList('event fields')),
                filter: closedObject(
                  {
                    fromIngestTimestamp: Type.Optional(rfc3339('Only events ingested after this timestamp.')),
                    toIngestTimestamp: Type.Optional(rfc3339('Only events ingested before this timestamp.')),
                  },
                  { description: 'Ingest-time window of the attached events.' },
                ),
              },
              { description: "Attach each exported profile's ExperienceEvents." },
            ),
          ),
        },
        { description: 'Associated data exported with each profile.' },
      ),
    ),
    destination: closedObject(
      {
        datasetId: Type.Optional(identifier('ID of the dataset the batches are written to.')),
        dataSetId: Type.Optional(identifier('Accepted spelling of datasetId.')),
        segmentPerBatch: Type.Optional(
          Type.Boolean({ description: 'One batch per segment instead of one batch. Default false.' }),
        ),
      },
      {
        description: 'Where the exported profiles are written. datasetId (or dataSetId) is required.',
        anyOf: [{ required: ['datasetId'] }, { required: ['dataSetId'] }],
      },
    ),
    schema: closedObject(
      { name: identifier('Schema name of the dataset, e.g. _xdm.context.profile.') },
      { description: 'Schema of the destination dataset.' },
    ),
    evaluationInfo: Type.Optional(
      closedObject(
        {
          segmentation: Type.Optional(
            Type.Boolean({
              description:
                'Evaluate the definitions of the listed segments at export time instead of reading stored membership (every profile is read). Requires filter.segments, each with a segment definition of the tenant. Default false.',
            }),
          ),
        },
        { description: 'Evaluation options.' },
      ),
    ),
  },
  {
    title: 'CreateExportJobRequest',
    description: 'Body of POST /export/jobs.',
    $schema: 'http://json-schema.org/draft-04/schema#',
  },
);

export type CreateJobRequest = Static<typeof CreateJobRequestSchema>;
export type SegmentSelector = Static<typeof SegmentSelectorSchema>;
