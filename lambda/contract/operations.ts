import type { TSchema } from '@sinclair/typebox';
import { HEADERS } from './headers';
import { CreateJobRequestSchema } from './create-job-request';
import {
  CreateDatasetRequestSchema,
  CreatedDatasetSchema,
  DATASET_ID_PATTERN,
  DatasetByIdSchema,
  DatasetListSchema,
  ListDatasetsQuerySchema,
} from './dataset';
import { JobListSchema, JobRecordSchema } from './job-record';
import { ListJobsQuerySchema } from './list-jobs-query';
import { BatchFileListSchema, DataSetFileDetailSchema, FileQuerySchema } from './batch-files';
import { BATCH_OBJECT_PATTERNS } from './batch-layout';
import { BATCH_ID_PATTERN, DATA_SET_FILE_ID_PATTERN, JOB_ID_PATTERN } from './path-parameters';
import { CONFIG_ID_PATTERN } from './config-table';
import {
  CreateMergePolicyRequestSchema,
  ListConfigQuerySchema,
  MergePolicyListSchema,
  MergePolicySchema,
  UpdateMergePolicyRequestSchema,
} from './merge-policy';
import {
  CreateSegmentDefinitionRequestSchema,
  SegmentDefinitionListSchema,
  SegmentDefinitionSchema,
  UpdateSegmentDefinitionRequestSchema,
} from './segment-definition';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The stores of the service an operation may use; each gets its own table. */
export type Store = 'jobs' | 'datasets' | 'config';
/** What an operation does with a store: the construct grants read or read-write access by it. */
export type StoreAccess = 'read' | 'write';

/**
 * One operation of the API. The construct creates a Lambda function and an API Gateway method
 * per entry, and the OpenAPI document is written from the same list: the routes are described
 * once, here.
 */
export interface OperationSpec {
  /** Stable name: the OpenAPI operationId and the construct ID of the operation's function. */
  readonly operationId:
    | 'listJobs'
    | 'createJob'
    | 'getJob'
    | 'deleteJob'
    | 'createDataset'
    | 'getDataset'
    | 'listDatasets'
    | 'listBatchFiles'
    | 'getDataSetFile'
    | 'listMergePolicies'
    | 'createMergePolicy'
    | 'getMergePolicy'
    | 'updateMergePolicy'
    | 'deleteMergePolicy'
    | 'listSegmentDefinitions'
    | 'createSegmentDefinition'
    | 'getSegmentDefinition'
    | 'updateSegmentDefinition'
    | 'deleteSegmentDefinition';
  readonly method: HttpMethod;
  /** Path template below the API root. */
  readonly path: string;
  /**
   * Handler module under lambda/handlers (without extension). Operations that name the same
   * module share one function (the five routes of a config resource).
   */
  readonly handler: string;
  readonly summary: string;
  readonly query?: TSchema;
  /** The pattern of each `{parameter}` of the path. */
  readonly pathParameters?: Readonly<Record<string, string>>;
  /** Request headers the operation reads besides the tenant and auth headers every operation needs. */
  readonly headers?: readonly string[];
  readonly requestBody?: TSchema;
  /** Success status and, unless 204, the schema of its body. */
  readonly success: { readonly status: 200 | 201 | 204; readonly schema?: TSchema; readonly description: string };
  /** Error statuses the operation itself returns (auth and throttling errors are common to all). */
  readonly errorStatuses: readonly number[];
  /** The stores the operation uses and how: it is granted that on each, and nothing on the others. */
  readonly stores: Readonly<Partial<Record<Store, StoreAccess>>>;
  /**
   * A redirect the operation answers instead of its success status for some requests (a download
   * link), with what the Location header holds.
   */
  readonly redirect?: { readonly status: 307; readonly description: string };
  /**
   * The objects of the export bucket the operation reads (IAM patterns from the batch layout):
   * it is granted s3:GetObject on those alone, which also lets it presign downloads of them.
   */
  readonly readsBatchObjects?: readonly string[];
}

/** Headers every operation requires: the tenant (and, in front of it, the API key and token). */
export const COMMON_HEADERS = [HEADERS.orgId, HEADERS.sandboxName] as const;

export const JOBS_PATH = '/export/jobs';
export const JOB_PATH = '/export/jobs/{id}';
export const BATCH_FILES_PATH = '/export/batches/{batchId}/files';
export const DATA_SET_FILE_PATH = '/export/files/{dataSetFileId}';
export const DATASETS_PATH = '/dataSets';
export const DATASET_PATH = '/dataSets/{id}';
export const MERGE_POLICIES_PATH = '/config/mergePolicies';
export const MERGE_POLICY_PATH = '/config/mergePolicies/{id}';
export const SEGMENT_DEFINITIONS_PATH = '/segment/definitions';
export const SEGMENT_DEFINITION_PATH = '/segment/definitions/{id}';

export const OPERATIONS: readonly OperationSpec[] = [
  {
    operationId: 'listJobs',
    method: 'GET',
    path: JOBS_PATH,
    handler: 'list-jobs',
    summary: 'List the export jobs of the tenant, newest first.',
    query: ListJobsQuerySchema,
    success: { status: 200, schema: JobListSchema, description: 'A page of jobs.' },
    errorStatuses: [400],
    stores: { jobs: 'read' },
  },
  {
    operationId: 'createJob',
    method: 'POST',
    path: JOBS_PATH,
    handler: 'create-job',
    summary: 'Create an export job.',
    headers: [HEADERS.profileInstanceId, HEADERS.idempotencyKey],
    requestBody: CreateJobRequestSchema,
    success: { status: 200, schema: JobRecordSchema, description: 'The new job, status NEW.' },
    errorStatuses: [400, 409, 415, 422],
    // The job's dataset is read to check it and to copy its file format; its merge policy to resolve it.
    stores: { jobs: 'write', datasets: 'read', config: 'read' },
  },
  {
    operationId: 'getJob',
    method: 'GET',
    path: JOB_PATH,
    handler: 'get-job',
    summary: 'Get one export job.',
    pathParameters: { id: JOB_ID_PATTERN },
    success: { status: 200, schema: JobRecordSchema, description: 'The job.' },
    errorStatuses: [400, 404],
    stores: { jobs: 'read' },
  },
  {
    operationId: 'deleteJob',
    method: 'DELETE',
    path: JOB_PATH,
    handler: 'delete-job',
    summary: 'Cancel a NEW or PROCESSING job, or delete a finished one.',
    pathParameters: { id: JOB_ID_PATTERN },
    success: { status: 204, description: 'Cancelled, marked for cancelling, or deleted.' },
    errorStatuses: [400, 404],
    stores: { jobs: 'write' },
  },
  {
    operationId: 'createDataset',
    method: 'POST',
    path: DATASETS_PATH,
    handler: 'create-dataset',
    summary: 'Create a dataset, the target of export jobs.',
    requestBody: CreateDatasetRequestSchema,
    success: { status: 201, schema: CreatedDatasetSchema, description: 'The path of the new dataset.' },
    errorStatuses: [400, 415],
    stores: { datasets: 'write' },
  },
  {
    operationId: 'getDataset',
    method: 'GET',
    path: DATASET_PATH,
    handler: 'get-dataset',
    summary: 'Get one dataset, keyed by its id.',
    pathParameters: { id: DATASET_ID_PATTERN },
    success: { status: 200, schema: DatasetByIdSchema, description: 'The dataset, keyed by its id.' },
    errorStatuses: [400, 404],
    stores: { datasets: 'read' },
  },
  {
    operationId: 'listDatasets',
    method: 'GET',
    path: DATASETS_PATH,
    handler: 'list-datasets',
    summary: 'List the datasets of the tenant, newest first, keyed by id; _page.next leads to the next page.',
    query: ListDatasetsQuerySchema,
    success: { status: 200, schema: DatasetListSchema, description: 'A page of datasets.' },
    errorStatuses: [400],
    stores: { datasets: 'read' },
  },
  {
    operationId: 'listBatchFiles',
    method: 'GET',
    path: BATCH_FILES_PATH,
    handler: 'list-batch-files',
    summary: 'List the files of a complete batch of the tenant, one per part file.',
    pathParameters: { batchId: BATCH_ID_PATTERN },
    success: { status: 200, schema: BatchFileListSchema, description: 'The files of the batch.' },
    errorStatuses: [400, 404, 409],
    stores: { jobs: 'read' },
    readsBatchObjects: [BATCH_OBJECT_PATTERNS.manifests],
  },
  {
    operationId: 'getDataSetFile',
    method: 'GET',
    path: DATA_SET_FILE_PATH,
    handler: 'get-data-set-file',
    summary:
      'Describe a file of a batch (the part and its manifest); with ?path=<name>, redirect to a presigned S3 URL of that file.',
    pathParameters: { dataSetFileId: DATA_SET_FILE_ID_PATTERN },
    query: FileQuerySchema,
    success: { status: 200, schema: DataSetFileDetailSchema, description: 'The downloadable files, with their links.' },
    redirect: {
      status: 307,
      description:
        'With ?path=<name>: the Location header is a presigned S3 GET URL of the file, valid at most 15 minutes.',
    },
    errorStatuses: [400, 404, 409],
    stores: { jobs: 'read' },
    readsBatchObjects: [BATCH_OBJECT_PATTERNS.manifests, BATCH_OBJECT_PATTERNS.partFiles],
  },
  ...configOperations({
    ids: ['listMergePolicies', 'createMergePolicy', 'getMergePolicy', 'updateMergePolicy', 'deleteMergePolicy'],
    handler: 'merge-policies',
    collection: MERGE_POLICIES_PATH,
    item: MERGE_POLICY_PATH,
    one: 'merge policy',
    many: 'merge policies',
    schemas: {
      create: CreateMergePolicyRequestSchema,
      update: UpdateMergePolicyRequestSchema,
      record: MergePolicySchema,
      list: MergePolicyListSchema,
    },
  }),
  ...configOperations({
    ids: [
      'listSegmentDefinitions',
      'createSegmentDefinition',
      'getSegmentDefinition',
      'updateSegmentDefinition',
      'deleteSegmentDefinition',
    ],
    handler: 'segment-definitions',
    collection: SEGMENT_DEFINITIONS_PATH,
    item: SEGMENT_DEFINITION_PATH,
    one: 'segment definition',
    many: 'segment definitions',
    schemas: {
      create: CreateSegmentDefinitionRequestSchema,
      update: UpdateSegmentDefinitionRequestSchema,
      record: SegmentDefinitionSchema,
      list: SegmentDefinitionListSchema,
    },
  }),
];

type OperationId = OperationSpec['operationId'];

/**
 * The five routes of a config resource of the tenant (merge policies, segment definitions):
 * list and create on the collection, get, update (PATCH) and delete by id, all in one handler.
 */
function configOperations(resource: {
  ids: [list: OperationId, create: OperationId, get: OperationId, update: OperationId, remove: OperationId];
  handler: string;
  collection: string;
  item: string;
  one: string;
  many: string;
  schemas: { create: TSchema; update: TSchema; record: TSchema; list: TSchema };
}): OperationSpec[] {
  const [list, create, get, update, remove] = resource.ids;
  const { one, many, schemas } = resource;
  const onCollection = { handler: resource.handler, path: resource.collection };
  const onItem = { handler: resource.handler, path: resource.item, pathParameters: { id: CONFIG_ID_PATTERN } };
  return [
    {
      ...onCollection,
      operationId: list,
      method: 'GET',
      summary: `List the ${many} of the tenant.`,
      query: ListConfigQuerySchema,
      success: { status: 200, schema: schemas.list, description: `A page of ${many}.` },
      errorStatuses: [400],
      stores: { config: 'read' },
    },
    {
      ...onCollection,
      operationId: create,
      method: 'POST',
      summary: `Create a ${one}.`,
      requestBody: schemas.create,
      success: { status: 200, schema: schemas.record, description: `The new ${one}.` },
      errorStatuses: [400, 409, 415, 422],
      stores: { config: 'write' },
    },
    {
      ...onItem,
      operationId: get,
      method: 'GET',
      summary: `Get one ${one}.`,
      success: { status: 200, schema: schemas.record, description: `The ${one}.` },
      errorStatuses: [400, 404],
      stores: { config: 'read' },
    },
    {
      ...onItem,
      operationId: update,
      method: 'PATCH',
      summary: `Change fields of a ${one}.`,
      requestBody: schemas.update,
      success: { status: 200, schema: schemas.record, description: `The ${one} as changed.` },
      errorStatuses: [400, 404, 409, 415, 422],
      stores: { config: 'write' },
    },
    {
      ...onItem,
      operationId: remove,
      method: 'DELETE',
      summary: `Delete a ${one}.`,
      success: { status: 204, description: 'Deleted.' },
      errorStatuses: [400, 404, 409],
      stores: { config: 'write' },
    },
  ];
}

/** The names of the `{parameters}` of a path template. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1]);
}

/** Names of the query parameters an operation accepts. */
export function queryParameterNames(operation: OperationSpec): string[] {
  return Object.keys((operation.query as { properties?: object } | undefined)?.properties ?? {});
}
