/**
 * The logical IDs of the stateful resources an ExportJobsService with the construct ID
 * 'ExportJobs' creates with its defaults, by resource type.
 *
 * REVIEWED BY HAND — NEVER REGENERATE THIS LIST. A changed logical ID makes CloudFormation
 * replace the resource on the next deployment: a new, empty table, bucket, user pool or queue
 * (the old one is retained and orphaned, or deleted with its data). If a test fails here,
 * restore the construct ID (or give the resource its old ID with `overrideLogicalId`); changing
 * an entry is a breaking change that needs a major version and a migration note in the
 * CHANGELOG. A new stateful resource is added here by hand, after review.
 */
export const STATEFUL_LOGICAL_IDS: Readonly<Record<string, readonly string[]>> = {
  'AWS::DynamoDB::Table': [
    'ExportJobsConfigTable0BF8E5B8',
    'ExportJobsDatasetTableD9E8D8BB',
    'ExportJobsIdempotencyTableA2E7A7C5',
    'ExportJobsJobTable619EECBC',
    'ExportJobsMembershipIndexTableC7A54B1F',
    'ExportJobsProfileStoreEventTable2A3D6309',
    'ExportJobsProfileStoreProfileTableE8EC177F',
  ],
  'AWS::S3::Bucket': [
    'ExportJobsExportBucketAccessLogs4BC61928',
    'ExportJobsExportBucketFD7A0392',
    'ExportJobsQueryResultsBucket177BA1EE',
  ],
  'AWS::Glue::Database': ['ExportJobsQueryDatabase3B3E32E2'],
  'AWS::Cognito::UserPool': ['ExportJobsUserPool01A7A4F5'],
  'AWS::SQS::Queue': ['ExportJobsDeadLetterQueue93019E7D'],
};

/** Resource types that hold data a replacement would lose. */
export const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::Cognito::UserPool',
  'AWS::KMS::Key',
  'AWS::SQS::Queue',
  'AWS::Glue::Database',
];
